import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, type Reply, type Tenant, uniqueSuffix } from "../harness";
import {
  type Arrangement,
  arrange,
  createDeliverUnit,
  eventsAbout,
  grantProgram,
  madePaymentUnit,
  personWith,
} from "../payment-units/helpers";

let a: Arrangement;
let outsider: Tenant;
let managedUnit: string;
let managedPaymentUnit: string;
let standaloneUnit: string;

beforeAll(async () => {
  [a, outsider] = await Promise.all([arrange("du-access"), createTenant("du-outsider")]);
  const owner = a.deliverer.people.owner.token;
  managedPaymentUnit = await madePaymentUnit(owner, a.managed.id);
  managedUnit = (await createDeliverUnit(owner, a.managed.id, { payment_unit_id: managedPaymentUnit })).body.id;
  standaloneUnit = (await createDeliverUnit(owner, a.standalone.id)).body.id;
});

/** Every deliver-unit operation on an opportunity and one of its units, as the given caller. */
async function everyOperation(token: string, opportunityId: string, unitId: string) {
  return {
    list: await call("GET", `/v1/deliver-units?opportunity_id=${opportunityId}`, { token }),
    get: await call("GET", `/v1/deliver-units/${unitId}`, { token }),
    create: await createDeliverUnit(token, opportunityId),
    update: await call("PATCH", `/v1/deliver-units/${unitId}`, { token, body: { name: `renamed ${uniqueSuffix()}` } }),
    remove: await call("DELETE", `/v1/deliver-units/${unitId}`, { token }),
  };
}

const statuses = (replies: Record<string, Reply>) =>
  Object.fromEntries(Object.entries(replies).map(([name, reply]) => [name, reply.status]));

describe("deliver units: who manages them", () => {
  it("both sides manage a managed opportunity's deliver units, each audited in its own trail", async () => {
    const created = await createDeliverUnit(a.funder.people.admin.token, a.managed.id, {
      payment_unit_id: managedPaymentUnit,
    });
    expect(created.status, created.text).toBe(201);
    const byDeliverer = await call("PATCH", `/v1/deliver-units/${created.body.id}`, {
      token: a.deliverer.people.owner.token,
      body: { optional: true },
    });
    expect(byDeliverer.status).toBe(200);
    const removed = await call("DELETE", `/v1/deliver-units/${created.body.id}`, {
      token: a.funder.people.owner.token,
    });
    expect(removed.status).toBe(204);
    const events = await eventsAbout(created.body.id);
    expect(events.map((e) => [e.action, e.organisationId])).toEqual([
      ["deliver_unit.created", a.funder.uuid],
      ["deliver_unit.updated", a.deliverer.uuid],
      ["deliver_unit.deleted", a.funder.uuid],
    ]);
  });

  it("each side needs its own write permission: opportunities:write delivering, programs:write for the program", async () => {
    for (const person of [
      await personWith(a.deliverer, ["programs:write"]),
      await personWith(a.funder, ["opportunities:write"]),
    ]) {
      const replies = await everyOperation(person.token, a.managed.id, managedUnit);
      expect(statuses(replies)).toEqual({ list: 200, get: 200, create: 403, update: 403, remove: 403 });
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
      expect(stranger.get.body.error.message).toBe("No such deliver unit.");
    }
    const byPaymentUnit = await call("GET", `/v1/deliver-units?payment_unit_id=${managedPaymentUnit}`, {
      token: outsider.people.owner.token,
    });
    expect(byPaymentUnit.status).toBe(404);
  });

  it("the program's organisation does not reach a standalone opportunity of the deliverer (404)", async () => {
    const replies = await everyOperation(a.funder.people.owner.token, a.standalone.id, standaloneUnit);
    expect(statuses(replies)).toEqual({ list: 404, get: 404, create: 404, update: 404, remove: 404 });
  });
});

describe("deliver units: access lists", () => {
  it("a manager without global access gets 404 outside their list, and manages the units once it is granted", async () => {
    const manager = a.funder.people.manager;
    const outside = await everyOperation(manager.token, a.managed.id, managedUnit);
    expect(statuses(outside)).toEqual({ list: 404, get: 404, create: 404, update: 404, remove: 404 });
    const byPaymentUnit = await call("GET", `/v1/deliver-units?payment_unit_id=${managedPaymentUnit}`, {
      token: manager.token,
    });
    expect(byPaymentUnit.status).toBe(404);
    await grantProgram(a.funder, manager, a.program.uuid);
    const unit = (await createDeliverUnit(a.deliverer.people.owner.token, a.managed.id)).body.id;
    const inside = await everyOperation(manager.token, a.managed.id, unit);
    expect(statuses(inside)).toEqual({ list: 200, get: 200, create: 201, update: 200, remove: 204 });
  });

  it("a standalone opportunity's deliver units stay in reach of every member of the delivering organisation", async () => {
    const created = await createDeliverUnit(a.deliverer.people.manager.token, a.standalone.id);
    expect(created.status, created.text).toBe(201);
    const list = await call("GET", `/v1/deliver-units?opportunity_id=${a.standalone.id}`, {
      token: a.deliverer.people.member.token,
    });
    expect(list.body.data.map((u: { id: string }) => u.id)).toContain(created.body.id);
  });
});
