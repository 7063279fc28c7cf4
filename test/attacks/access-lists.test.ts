// Attacks on the access lists: a member or service account without global access trying to see or change
// programs outside its list through any route, or to give itself more reach than it has.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  auditEventsOf,
  call,
  createTenant,
  insertApplication,
  insertDeliverUnit,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Made,
  type Person,
  serviceToken,
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

/** A service account in the viewer role (no permissions, so anyone may hold "every permission of its role"). */
async function accountReaching(programs: string[]): Promise<string> {
  const owner = tenant.people.owner.token;
  const account = await call("POST", "/v1/service-accounts", {
    token: owner,
    body: { organisation_id: tenant.id, name: `robot ${uniqueSuffix()}`, role_id: tenant.roleIds.viewer },
  });
  if (account.status !== 201) throw new Error(account.text);
  const granted = await call("PUT", `/v1/service-accounts/${account.body.id}/access`, {
    token: owner,
    body: { programs },
  });
  if (granted.status !== 200) throw new Error(granted.text);
  return account.body.id;
}

const issue = (accountId: string, token: string) =>
  call("POST", `/v1/service-accounts/${accountId}/credentials`, {
    token,
    body: { name: "mine now", scopes: ["read"] },
  });

describe("a limited caller minting a credential of a service account", () => {
  it("is refused (403, nothing written) when the account's list reaches programs the caller does not", async () => {
    const accountId = await accountReaching([mine.id, theirs.id]);
    expect((await call("GET", `/v1/programs/${theirs.id}`, { token: limited.token })).status).toBe(404);
    const before = await snapshot(tenant.uuid);
    const reply = await issue(accountId, limited.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(reply.body.error.message).toContain(theirs.id);
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });

  it("is refused for a program delivered under that the caller's list lacks", async () => {
    const accountId = await accountReaching([deliveredTheirs.id]);
    expect((await issue(accountId, limited.token)).status).toBe(403);
  });

  it("is allowed within the caller's reach, and the credential reaches no more than that; audited once", async () => {
    const accountId = await accountReaching([mine.id]);
    const reply = await issue(accountId, limited.token);
    expect(reply.status).toBe(201);
    const events = await auditEventsOf(reply);
    expect(events.map((event) => event.action)).toEqual(["service_account_credential.created"]);
    const token = await serviceToken(reply.body.client_id, reply.body.client_secret);
    expect((await call("GET", `/v1/programs/${mine.id}`, { token })).status).toBe(200);
    expect((await call("GET", `/v1/programs/${theirs.id}`, { token })).status).toBe(404);
  });

  it("a global-access caller may mint one whatever the list", async () => {
    const accountId = await accountReaching([theirs.id, deliveredTheirs.id]);
    expect((await issue(accountId, tenant.people.admin.token)).status).toBe(201);
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

/** Every route that reaches a managed opportunity, its units and its program, as `[method, path, body?]`. */
async function routesOutside(program: Made, deliverer: Tenant): Promise<[string, string, unknown?][]> {
  const opportunity = await insertOpportunity(deliverer, {
    programId: program.uuid,
    currency: "EUR",
    country: "DE",
    status: "draft",
    endDate: "2027-06-30",
  });
  const payment = await insertPaymentUnit(opportunity.uuid);
  const deliver = await insertDeliverUnit(opportunity.uuid, payment.uuid);
  return [
    ["GET", `/v1/programs/${program.id}`],
    ["PATCH", `/v1/programs/${program.id}`, { name: "x" }],
    ["GET", `/v1/program-applications?program_id=${program.id}`],
    ["GET", `/v1/opportunities/${opportunity.id}`],
    ["PATCH", `/v1/opportunities/${opportunity.id}`, { status: "open" }],
    ["DELETE", `/v1/opportunities/${opportunity.id}`],
    [
      "POST",
      "/v1/payment-units",
      { opportunity_id: opportunity.id, name: "x", amount: "1", max_total: 1, max_daily: 1 },
    ],
    ["GET", `/v1/payment-units?opportunity_id=${opportunity.id}`],
    ["GET", `/v1/payment-units/${payment.id}`],
    ["PATCH", `/v1/payment-units/${payment.id}`, { amount: "99" }],
    ["DELETE", `/v1/payment-units/${payment.id}`],
    ["GET", `/v1/deliver-units?payment_unit_id=${payment.id}`],
    ["POST", "/v1/deliver-units", { opportunity_id: opportunity.id, name: "x", slug: "x" }],
    ["PATCH", `/v1/deliver-units/${deliver.id}`, { optional: true }],
    ["DELETE", `/v1/deliver-units/${deliver.id}`],
  ];
}

describe("a limited manager outside their list, on every route", () => {
  it("is 404 on the program side (a partner's opportunity under the tenant's unlisted program); nothing changes", async () => {
    const routes = await routesOutside(theirs, partner);
    await insertApplication(theirs.uuid, partner, "accepted");
    const before = [await snapshot(tenant.uuid), await snapshot(partner.uuid)];
    for (const [method, path, body] of routes) {
      const reply = await call(method, path, { token: tenant.people.manager.token, body });
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(404);
    }
    expect([await snapshot(tenant.uuid), await snapshot(partner.uuid)]).toEqual(before);
    const listed = await call("GET", `/v1/opportunities?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.manager.token,
    });
    expect(listed.body.data.filter((item: { program_id: string }) => item.program_id === theirs.id)).toEqual([]);
  });

  it("is 404 on the delivering side (the tenant's opportunity under an unlisted delivered program)", async () => {
    const routes = (await routesOutside(deliveredTheirs, tenant)).filter(([, path]) => !path.includes("program"));
    const before = await snapshot(tenant.uuid);
    for (const [method, path, body] of routes) {
      const reply = await call(method, path, { token: tenant.people.manager.token, body });
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(404);
    }
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });
});
