// Callers without global access: they grant only what they reach themselves, and see and replace only that part
// of a list. People and service accounts alike.
import { beforeAll, describe, expect, it } from "vitest";
import { addPerson, auditTrail, call, type Person, snapshot } from "../harness";
import {
  accountAccess,
  getAccess,
  granterRole,
  limitedGranter,
  memberAccess,
  putAccess,
  serviceAccount,
  shown,
  sorted,
  storedGrants,
  type World,
  world,
} from "./helpers";

let w: World;
let owner: string;
/** Reaches own[0] and delivered only. */
let granter: Person;
let p0: string;
let p1: string;
let p2: string;

beforeAll(async () => {
  w = await world("parity");
  owner = w.tenant.people.owner.token;
  [p0, p1, p2] = w.own.map((program) => program.id) as [string, string, string];
  granter = await limitedGranter(w.tenant, [p0, w.delivered.id]);
});

describe("a caller without global access", () => {
  it("grants programs they reach themselves", async () => {
    const person = await addPerson(w.tenant, "member", "granted");
    const put = await putAccess(memberAccess(person.memberId), granter.token, [p0, w.delivered.id]);
    expect(put.status, put.text).toBe(200);
    expect(shown(put)).toEqual(sorted([p0, w.delivered.id]));
    expect(await storedGrants(person.memberId)).toEqual(sorted([p0, w.delivered.id]));
  });

  it("is refused a program they lack with 403 naming it; nothing is written", async () => {
    const person = await addPerson(w.tenant, "member", "refused");
    const path = memberAccess(person.memberId);
    await putAccess(path, granter.token, [p0]);
    const before = await snapshot(w.tenant.uuid);
    const reply = await putAccess(path, granter.token, [p0, p1]);
    expect(reply.status, reply.text).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
    expect(reply.body.error.message).toContain(p1);
    expect(reply.body.error.message).not.toContain(p0);
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
    expect(await storedGrants(person.memberId)).toEqual([p0]);
  });

  it("gets the 400 of an unknown program before the 403 (another organisation's program is not theirs to ask about)", async () => {
    const person = await addPerson(w.tenant, "member", "ordered");
    const reply = await putAccess(memberAccess(person.memberId), granter.token, [p1, w.foreign.id]);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.fields.programs[0]).toContain(w.foreign.id);
    expect(reply.body.error.fields.programs[0]).not.toContain(p1);
  });

  it("sees only the part of a list they reach, and replacing it leaves the rest of the list as it was", async () => {
    const person = await addPerson(w.tenant, "member", "shared");
    const path = memberAccess(person.memberId);
    expect((await putAccess(path, owner, [p0, p1, p2])).status).toBe(200);
    const seen = await getAccess(path, granter.token);
    expect(shown(seen)).toEqual([p0]);
    expect(shown(await getAccess(path, owner))).toEqual(sorted([p0, p1, p2]));

    const replaced = await putAccess(path, granter.token, [w.delivered.id]);
    expect(replaced.status, replaced.text).toBe(200);
    expect(shown(replaced)).toEqual([w.delivered.id]);
    expect(await storedGrants(person.memberId)).toEqual(sorted([p1, p2, w.delivered.id]));
    const event = (await auditTrail(w.tenant.uuid)).at(-1)!;
    expect(event.action).toBe("member.access_replaced");
    expect(event.changes).toEqual({
      programs: { old: sorted([p0, p1, p2]), new: sorted([p1, p2, w.delivered.id]) },
      programs_added: { old: null, new: [w.delivered.id] },
      programs_removed: { old: null, new: [p0] },
    });

    const cleared = await putAccess(path, granter.token, []);
    expect(shown(cleared)).toEqual([]);
    expect(await storedGrants(person.memberId)).toEqual(sorted([p1, p2]));
  });

  it("may not widen their own list, but may narrow it", async () => {
    const self = await limitedGranter(w.tenant, [p0, p1]);
    const path = memberAccess(self.memberId);
    const widen = await putAccess(path, self.token, [p0, p1, p2]);
    expect(widen.status, widen.text).toBe(403);
    expect(widen.body.error.message).toContain(p2);
    const narrow = await putAccess(path, self.token, [p1]);
    expect(narrow.status, narrow.text).toBe(200);
    expect(await storedGrants(self.memberId)).toEqual([p1]);
  });
});

describe("a service account's access list", () => {
  it("is read and replaced like a member's, audited as service_account.access_replaced", async () => {
    const path = accountAccess(w.tenant.serviceAccount.id);
    const empty = await getAccess(path, w.tenant.people.viewer.token);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body).toEqual({
      object: "access_list",
      service_account_id: w.tenant.serviceAccount.id,
      organisation_id: w.tenant.id,
      global_access: false,
      programs: [],
    });
    for (const list of [[p0, p1], [p1, p2, w.delivered.id], []]) {
      const put = await putAccess(path, owner, list);
      expect(put.status, put.text).toBe(200);
      expect(shown(put)).toEqual(sorted(list));
      expect(await storedGrants(w.tenant.serviceAccount.id)).toEqual(sorted(list));
      expect((await getAccess(path, owner)).body).toEqual(put.body);
    }
    const event = (await auditTrail(w.tenant.uuid)).at(-1)!;
    expect(event).toMatchObject({ action: "service_account.access_replaced", resourceType: "service_account" });
    expect(event.changes).toEqual({
      programs: { old: sorted([p1, p2, w.delivered.id]), new: [] },
      programs_removed: { old: null, new: sorted([p1, p2, w.delivered.id]) },
    });
    const before = await snapshot(w.tenant.uuid);
    expect((await putAccess(path, owner, [])).status).toBe(200);
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
  });

  it("refuses another organisation's program (400), a viewer or manager (403), and strangers (404)", async () => {
    const path = accountAccess(w.tenant.serviceAccount.id);
    const before = await snapshot(w.tenant.uuid);
    const foreign = await putAccess(path, owner, [w.foreign.id]);
    expect(foreign.status, foreign.text).toBe(400);
    expect(Object.keys(foreign.body.error.fields)).toEqual(["programs"]);
    for (const person of [w.tenant.people.viewer, w.tenant.people.manager]) {
      expect((await putAccess(path, person.token, [p0])).status).toBe(403);
    }
    for (const reply of [
      await getAccess(path, w.partner.people.owner.token),
      await putAccess(path, w.partner.people.owner.token, []),
    ]) {
      expect(reply.status).toBe(404);
    }
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
  });

  it("a service account may change lists itself, within its own reach, and is recorded as the actor", async () => {
    const robot = await serviceAccount(w.tenant, await granterRole(w.tenant), [p1]);
    const person = await addPerson(w.tenant, "member", "robot-made");
    const path = memberAccess(person.memberId);
    const granted = await putAccess(path, robot.token, [p1]);
    expect(granted.status, granted.text).toBe(200);
    const event = (await auditTrail(w.tenant.uuid)).at(-1)!;
    expect(event).toMatchObject({ action: "member.access_replaced", actorType: "service_account" });
    const beyond = await putAccess(path, robot.token, [p1, p2]);
    expect(beyond.status, beyond.text).toBe(403);
    expect(beyond.body.error.message).toContain(p2);
    const other = await serviceAccount(w.tenant, w.tenant.roleIds.member);
    const forAccount = await putAccess(accountAccess(other.id), robot.token, [p1]);
    expect(forAccount.status, forAccount.text).toBe(200);
    expect(await storedGrants(other.id)).toEqual([p1]);
    expect(await storedGrants(person.memberId)).toEqual([p1]);
  });

  it("goes with the service account", async () => {
    const robot = await serviceAccount(w.tenant, w.tenant.roleIds.member, [p0, p2]);
    expect(await storedGrants(robot.id)).toEqual(sorted([p0, p2]));
    expect((await call("DELETE", `/v1/service-accounts/${robot.id}`, { token: owner })).status).toBe(204);
    expect(await storedGrants(robot.id)).toEqual([]);
  });
});
