import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, type Person, type Reply, type Tenant } from "../harness";
import {
  type Arrangement,
  arrange,
  createPaymentUnit,
  eventsAbout,
  grantProgram,
  madePaymentUnit,
  personWith,
} from "./helpers";

let a: Arrangement;
let outsider: Tenant;
/** A unit of the managed opportunity, and one of the standalone opportunity. */
let managedUnit: string;
let standaloneUnit: string;

beforeAll(async () => {
  [a, outsider] = await Promise.all([arrange("pu-access"), createTenant("pu-outsider")]);
  managedUnit = await madePaymentUnit(a.deliverer.people.owner.token, a.managed.id);
  standaloneUnit = await madePaymentUnit(a.deliverer.people.owner.token, a.standalone.id, { amount: "500" });
});

/** Every payment-unit operation on an opportunity and one of its units, as the given caller. */
async function everyOperation(token: string, opportunityId: string, unitId: string) {
  return {
    list: await call("GET", `/v1/payment-units?opportunity_id=${opportunityId}`, { token }),
    get: await call("GET", `/v1/payment-units/${unitId}`, { token }),
    create: await createPaymentUnit(token, opportunityId, { amount: "100" }),
    update: await call("PATCH", `/v1/payment-units/${unitId}`, {
      token,
      body: { description: `by ${token.slice(-6)}` },
    }),
    remove: await call("DELETE", `/v1/payment-units/${unitId}`, { token }),
  };
}

const statuses = (replies: Record<string, Reply>) =>
  Object.fromEntries(Object.entries(replies).map(([name, reply]) => [name, reply.status]));

describe("payment units: who manages them", () => {
  it("the program's organisation manages a managed opportunity's units (programs:write), audited in its own trail", async () => {
    const admin = a.funder.people.admin.token;
    const created = await createPaymentUnit(admin, a.managed.id, { name: "Funder's unit" });
    expect(created.status, created.text).toBe(201);
    const patched = await call("PATCH", `/v1/payment-units/${created.body.id}`, {
      token: admin,
      body: { amount: "99.99" },
    });
    expect(patched.status, patched.text).toBe(200);
    const byDeliverer = await call("PATCH", `/v1/payment-units/${created.body.id}`, {
      token: a.deliverer.people.owner.token,
      body: { amount: "88.00" },
    });
    expect(byDeliverer.status).toBe(200);
    expect((await call("DELETE", `/v1/payment-units/${created.body.id}`, { token: admin })).status).toBe(204);
    const events = await eventsAbout(created.body.id);
    expect(events.map((e) => [e.action, e.organisationId])).toEqual([
      ["payment_unit.created", a.funder.uuid],
      ["payment_unit.updated", a.funder.uuid],
      ["payment_unit.updated", a.deliverer.uuid],
      ["payment_unit.deleted", a.funder.uuid],
    ]);
  });

  it("each side needs its own write permission: opportunities:write delivering, programs:write for the program", async () => {
    const delivererWithProgramsOnly = await personWith(a.deliverer, ["programs:write"]);
    const funderWithOpportunitiesOnly = await personWith(a.funder, ["opportunities:write"]);
    for (const person of [delivererWithProgramsOnly, funderWithOpportunitiesOnly]) {
      const replies = await everyOperation(person.token, a.managed.id, managedUnit);
      expect(statuses(replies)).toEqual({ list: 200, get: 200, create: 403, update: 403, remove: 403 });
      expect(replies.create.body.error.code).toBe("permission_denied");
    }
  });

  it("a viewer reads but does not write (403); another organisation's owner gets 404 on everything", async () => {
    const viewer = await everyOperation(a.deliverer.people.viewer.token, a.standalone.id, standaloneUnit);
    expect(statuses(viewer)).toEqual({ list: 200, get: 200, create: 403, update: 403, remove: 403 });
    for (const [opportunity, unit] of [
      [a.managed.id, managedUnit],
      [a.standalone.id, standaloneUnit],
    ] as const) {
      const stranger = await everyOperation(outsider.people.owner.token, opportunity, unit);
      expect(statuses(stranger)).toEqual({ list: 404, get: 404, create: 404, update: 404, remove: 404 });
      expect(stranger.get.body.error.message).toBe("No such payment unit.");
      expect(stranger.create.body.error.message).toBe("No such opportunity.");
    }
  });

  it("the program's organisation does not reach a standalone opportunity of the deliverer (404)", async () => {
    const replies = await everyOperation(a.funder.people.owner.token, a.standalone.id, standaloneUnit);
    expect(statuses(replies)).toEqual({ list: 404, get: 404, create: 404, update: 404, remove: 404 });
  });

  it("a unit looked up under another opportunity's id is simply not in its list", async () => {
    const list = await call("GET", `/v1/payment-units?opportunity_id=${a.standalone.id}`, {
      token: a.deliverer.people.owner.token,
    });
    expect(list.body.data.map((u: { id: string }) => u.id)).not.toContain(managedUnit);
  });
});

describe("payment units: access lists", () => {
  let funderManager: Person;
  let delivererManager: Person;

  beforeAll(async () => {
    funderManager = a.funder.people.manager;
    delivererManager = a.deliverer.people.manager;
  });

  it("a manager without global access gets 404 on a managed opportunity's units outside their list", async () => {
    for (const person of [funderManager, delivererManager]) {
      const replies = await everyOperation(person.token, a.managed.id, managedUnit);
      expect(statuses(replies)).toEqual({ list: 404, get: 404, create: 404, update: 404, remove: 404 });
    }
  });

  it("a standalone opportunity's units stay in reach of every member of the delivering organisation", async () => {
    const created = await createPaymentUnit(delivererManager.token, a.standalone.id, { amount: "700" });
    expect(created.status, created.text).toBe(201);
    const got = await call("GET", `/v1/payment-units/${created.body.id}`, { token: a.deliverer.people.member.token });
    expect(got.status).toBe(200);
  });

  it("once the program is on their list, the manager manages its units from either side", async () => {
    await grantProgram(a.funder, funderManager, a.program.uuid);
    await grantProgram(a.deliverer, delivererManager, a.program.uuid);
    for (const person of [funderManager, delivererManager]) {
      const unit = await madePaymentUnit(a.deliverer.people.owner.token, a.managed.id);
      const replies = await everyOperation(person.token, a.managed.id, unit);
      expect(statuses(replies)).toEqual({ list: 200, get: 200, create: 201, update: 200, remove: 204 });
    }
  });
});
