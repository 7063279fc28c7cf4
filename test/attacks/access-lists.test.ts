// Attacks on the access lists: a member or service account without global access trying to see or change
// programs outside its list through any route, or to give itself more reach than it has.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  call,
  createTenant,
  insertApplication,
  insertProgram,
  type Made,
  type Person,
  snapshot,
  type Tenant,
  uniqueSuffix,
} from "../harness";

let tenant: Tenant;
let partner: Tenant;
/** The tenant's programs: `mine` is in the limited people's lists, `theirs` is not. */
let mine: Made;
let theirs: Made;
/** The partner's programs the tenant delivers under (accepted): `deliveredMine` is listed, `deliveredTheirs` not. */
let deliveredMine: Made;
let deliveredTheirs: Made;
/** A person in a custom role without global access that may manage service accounts and members. */
let limited: Person;

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((item) => item.id);

beforeAll(async () => {
  [tenant, partner] = await Promise.all([createTenant("al-attack"), createTenant("al-attack-partner")]);
  [mine, theirs, deliveredMine, deliveredTheirs] = await Promise.all([
    insertProgram(tenant),
    insertProgram(tenant),
    insertProgram(partner),
    insertProgram(partner),
  ]);
  await insertApplication(deliveredMine.uuid, tenant, "accepted");
  await insertApplication(deliveredTheirs.uuid, tenant, "accepted");
  const role = await call("POST", "/v1/roles", {
    token: tenant.people.owner.token,
    body: {
      organisation_id: tenant.id,
      name: `account keeper ${uniqueSuffix()}`,
      permissions: ["service_accounts:write", "members:write"],
    },
  });
  if (role.status !== 201) throw new Error(role.text);
  limited = await addPerson(tenant, role.body.id, "keeper");
  for (const memberId of [limited.memberId, tenant.people.manager.memberId]) {
    const granted = await call("PUT", `/v1/members/${memberId}/access`, {
      token: tenant.people.owner.token,
      body: { programs: [mine.id, deliveredMine.id] },
    });
    if (granted.status !== 200) throw new Error(granted.text);
  }
});

describe("GET /v1/programs?participating=true for a member limited by an access list", () => {
  it("lists only the delivered programs in the list, as GET /v1/programs/{id} answers them", async () => {
    const token = tenant.people.manager.token;
    const reply = await call("GET", `/v1/programs?organisation_id=${tenant.id}&participating=true`, { token });
    expect(reply.status).toBe(200);
    expect(ids(reply)).toEqual([deliveredMine.id]);
    expect((await call("GET", `/v1/programs/${deliveredTheirs.id}`, { token })).status).toBe(404);
  });

  it("a global-access member still lists every program the organisation delivers under", async () => {
    const token = tenant.people.admin.token;
    const reply = await call("GET", `/v1/programs?organisation_id=${tenant.id}&participating=true`, { token });
    expect(ids(reply)).toEqual([deliveredMine.id, deliveredTheirs.id].sort());
  });

  it("a limited service account lists only its own delivered programs", async () => {
    const owner = tenant.people.owner.token;
    await call("PUT", `/v1/service-accounts/${tenant.serviceAccount.id}/access`, {
      token: owner,
      body: { programs: [deliveredTheirs.id] },
    });
    const reply = await call("GET", `/v1/programs?participating=true`, { token: tenant.serviceAccount.token });
    expect(ids(reply)).toEqual([deliveredTheirs.id]);
  });
});

describe("a limited caller giving themselves more through PUT access", () => {
  it("cannot add a program outside their reach to their own list or to another's (403, nothing written)", async () => {
    const before = await snapshot(tenant.uuid);
    for (const memberId of [limited.memberId, tenant.people.member.memberId]) {
      const reply = await call("PUT", `/v1/members/${memberId}/access`, {
        token: limited.token,
        body: { programs: [mine.id, theirs.id] },
      });
      expect(reply.status).toBe(403);
      expect(reply.body.error.message).toContain(theirs.id);
    }
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });

  it("cannot remove grants outside their reach from another's list either: they stay", async () => {
    const owner = tenant.people.owner.token;
    const target = await addPerson(tenant, "viewer", "target");
    await call("PUT", `/v1/members/${target.memberId}/access`, { token: owner, body: { programs: [theirs.id] } });
    const reply = await call("PUT", `/v1/members/${target.memberId}/access`, {
      token: limited.token,
      body: { programs: [] },
    });
    expect(reply.status).toBe(200);
    const full = await call("GET", `/v1/members/${target.memberId}/access`, { token: owner });
    expect(full.body.programs.map((program: { id: string }) => program.id)).toEqual([theirs.id]);
  });
});
