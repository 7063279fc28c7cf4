// Who reaches a program: its organisation within the access list, an organisation with an application (read
// only), nobody else; and deleting one.

import { beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  auditCount,
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  makeProgramManager,
  type Reply,
  snapshot,
  type Tenant,
} from "../harness";
import { createProgram, grant, programUuid } from "./helpers";

let tenant: Tenant;
let partner: Tenant;
let outsider: Tenant;

beforeAll(async () => {
  [tenant, partner, outsider] = await Promise.all([
    createTenant("program-reach"),
    createTenant("partner"),
    createTenant("outsider"),
  ]);
  await makeProgramManager(tenant);
});

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((item) => item.id);

describe("outsiders", () => {
  it("another organisation's owner gets 404 on every program route, and changes nothing", async () => {
    const program = (await createProgram(tenant)).body;
    const before = await snapshot(tenant.uuid);
    const token = outsider.people.owner.token;
    expect((await call("GET", `/v1/programs/${program.id}`, { token })).status).toBe(404);
    expect((await call("PATCH", `/v1/programs/${program.id}`, { token, body: { name: "x" } })).status).toBe(404);
    expect((await call("DELETE", `/v1/programs/${program.id}`, { token })).status).toBe(404);
    expect((await call("GET", `/v1/programs?organisation_id=${tenant.id}`, { token })).status).toBe(404);
    expect((await createProgram(tenant, {}, token)).status).toBe(404);
    expect(await snapshot(tenant.uuid)).toEqual(before);
  });

  it("a program id with another prefix is a 400", async () => {
    const reply = await call("GET", `/v1/programs/${tenant.id}`, { token: tenant.people.owner.token });
    expect(reply.status).toBe(400);
  });
});

describe("the access list", () => {
  it("a manager without global access lists, reads and changes only the programs granted to them", async () => {
    const manager = await addPerson(tenant, "manager", "limited");
    const [granted, other] = [(await createProgram(tenant)).body, (await createProgram(tenant)).body];
    await grant(tenant, manager.memberId, granted.id);
    const listed = await call("GET", `/v1/programs?organisation_id=${tenant.id}`, { token: manager.token });
    expect(ids(listed)).toEqual([granted.id]);
    expect((await call("GET", `/v1/programs/${granted.id}`, { token: manager.token })).status).toBe(200);
    expect((await call("GET", `/v1/programs/${other.id}`, { token: manager.token })).status).toBe(404);
    const renamed = await call("PATCH", `/v1/programs/${granted.id}`, { token: manager.token, body: { name: "Mine" } });
    expect(renamed.status, renamed.text).toBe(200);
    const refused = await call("PATCH", `/v1/programs/${other.id}`, { token: manager.token, body: { name: "Not" } });
    expect(refused.status).toBe(404);
    expect((await call("DELETE", `/v1/programs/${other.id}`, { token: manager.token })).status).toBe(404);
    // The owner (global access) sees both.
    const all = await call("GET", `/v1/programs?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.owner.token,
    });
    expect(ids(all)).toEqual(expect.arrayContaining([granted.id, other.id]));
  });

  it("lists page with a cursor, oldest first, without repeats", async () => {
    const fresh = await createTenant("program-pages");
    await makeProgramManager(fresh);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createProgram(fresh)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `organisation_id=${fresh.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const reply: Reply = await call("GET", `/v1/programs?${query}`, { token: fresh.people.owner.token });
      expect(reply.status).toBe(200);
      seen.push(...ids(reply));
      cursor = reply.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made);
    const bad = await call("GET", `/v1/programs?organisation_id=${fresh.id}&cursor=nope`, {
      token: fresh.people.owner.token,
    });
    expect(bad.status).toBe(400);
  });
});

describe("organisations with an application", () => {
  it("read the program but cannot change or delete it (403)", async () => {
    const program = (await createProgram(tenant)).body;
    await insertApplication(programUuid(program.id), partner, "invited");
    const token = partner.people.owner.token;
    const read = await call("GET", `/v1/programs/${program.id}`, { token });
    expect(read.status, read.text).toBe(200);
    expect(read.body.organisation_id).toBe(tenant.id);
    expect((await call("PATCH", `/v1/programs/${program.id}`, { token, body: { name: "x" } })).status).toBe(403);
    expect((await call("DELETE", `/v1/programs/${program.id}`, { token })).status).toBe(403);
  });

  it("participating=true lists the programs it has an accepted application to, and no others", async () => {
    const delivering = await createTenant("delivering");
    const [accepted, applied, others] = [
      (await createProgram(tenant)).body,
      (await createProgram(tenant)).body,
      (await createProgram(tenant)).body,
    ];
    // Another organisation's acceptance does not count for this one.
    await insertApplication(programUuid(others.id), partner, "accepted");
    await insertApplication(programUuid(accepted.id), delivering, "accepted");
    await insertApplication(programUuid(applied.id), delivering, "applied");
    // A global-access member: a viewer without an access list sees none of them (test/attacks/access-lists).
    const listed = await call("GET", `/v1/programs?organisation_id=${delivering.id}&participating=true`, {
      token: delivering.people.admin.token,
    });
    expect(listed.status, listed.text).toBe(200);
    expect(ids(listed)).toEqual([accepted.id]);
    const mine = await call("GET", `/v1/programs?organisation_id=${delivering.id}`, {
      token: delivering.people.owner.token,
    });
    expect(ids(mine)).toEqual([]);
  });
});

describe("DELETE a program", () => {
  it("deletes a program without opportunities, with its pending applications, auditing program.deleted", async () => {
    const program = (await createProgram(tenant)).body;
    await insertApplication(programUuid(program.id), partner, "applied");
    const before = await auditCount(tenant.uuid, "program.deleted");
    const deleted = await call("DELETE", `/v1/programs/${program.id}`, { token: tenant.people.owner.token });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await auditCount(tenant.uuid, "program.deleted")).toBe(before + 1);
    expect((await call("GET", `/v1/programs/${program.id}`, { token: tenant.people.owner.token })).status).toBe(404);
    expect((await call("GET", `/v1/programs/${program.id}`, { token: partner.people.owner.token })).status).toBe(404);
  });

  it("is 409 while it has an opportunity, naming it", async () => {
    const program = (await createProgram(tenant)).body;
    const opportunity = await insertOpportunity(partner, { programId: programUuid(program.id), totalBudget: "1.00" });
    const refused = await call("DELETE", `/v1/programs/${program.id}`, { token: tenant.people.owner.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.opportunity_id).toBe(opportunity.id);
    expect((await call("GET", `/v1/programs/${program.id}`, { token: tenant.people.owner.token })).status).toBe(200);
  });

  it("is 409 while an organisation's application is accepted, naming it", async () => {
    const program = (await createProgram(tenant)).body;
    const application = await insertApplication(programUuid(program.id), partner, "accepted");
    const before = await auditCount(tenant.uuid, "program.deleted");
    const refused = await call("DELETE", `/v1/programs/${program.id}`, { token: tenant.people.owner.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.application_id).toBe(application.id);
    expect(refused.body.error.message).toContain(partner.name);
    expect(await auditCount(tenant.uuid, "program.deleted")).toBe(before);
  });
});
