// Attacks by deletion: removing what something else still uses must be a clear, documented 409 that changes
// nothing, never a silent loss of another organisation's data nor an undocumented reply.
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditEventsOf,
  call,
  createTenant,
  deliveryType,
  insertApplication,
  insertDeliverUnit,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Made,
  platformAdminToken,
  snapshot,
  type Tenant,
} from "../harness";

let funder: Tenant;
let deliverer: Tenant;
let program: Made;
let managed: Made;

beforeAll(async () => {
  [funder, deliverer] = await Promise.all([createTenant("del-funder"), createTenant("del-deliverer")]);
  program = await insertProgram(funder);
  await insertApplication(program.uuid, deliverer, "accepted");
  managed = await insertOpportunity(deliverer, {
    programId: program.uuid,
    currency: "EUR",
    country: "DE",
    endDate: "2027-06-30",
    status: "draft",
  });
});

describe("DELETE /v1/organisations/{id} of an organisation others deliver under", () => {
  it("is a 409 naming the other organisation's opportunity, and nothing of either organisation changes", async () => {
    const before = [await snapshot(funder.uuid), await snapshot(deliverer.uuid)];
    const reply = await call("DELETE", `/v1/organisations/${funder.id}`, { token: funder.people.owner.token });
    expect(reply.status, reply.text).toBe(409);
    expect(reply.body.error.code).toBe("conflict");
    expect(reply.body.error.opportunity_id).toBe(managed.id);
    expect(reply.body.error.program_id).toBe(program.id);
    expect(reply.body.error.message).toContain(deliverer.name);
    expect([await snapshot(funder.uuid), await snapshot(deliverer.uuid)]).toEqual(before);
    expect((await call("GET", `/v1/opportunities/${managed.id}`, { token: deliverer.people.owner.token })).status).toBe(
      200,
    );
  });

  it("an organisation whose programs only it delivers under is deleted with them (one audit event)", async () => {
    const alone = await createTenant("del-alone");
    const own = await insertProgram(alone);
    const opportunity = await insertOpportunity(alone, {
      programId: own.uuid,
      currency: "EUR",
      country: "DE",
      endDate: "2027-06-30",
    });
    const unit = await insertPaymentUnit(opportunity.uuid);
    await insertDeliverUnit(opportunity.uuid, unit.uuid);
    await insertApplication(own.uuid, deliverer, "applied");
    const reply = await call("DELETE", `/v1/organisations/${alone.id}`, { token: alone.people.owner.token });
    expect(reply.status, reply.text).toBe(204);
    expect((await auditEventsOf(reply)).map((event) => event.action)).toEqual(["organisation.deleted"]);
  });

  it("the delivering organisation may go: its managed opportunities leave the program's allocation", async () => {
    const leaving = await createTenant("del-leaving");
    const own = await insertProgram(funder, { budget: "500.00" });
    await insertApplication(own.uuid, leaving, "accepted");
    const opportunity = await insertOpportunity(leaving, {
      programId: own.uuid,
      currency: "EUR",
      country: "DE",
      endDate: "2027-06-30",
      totalBudget: "200.00",
    });
    await insertDeliverUnit(opportunity.uuid, (await insertPaymentUnit(opportunity.uuid)).uuid);
    const token = funder.people.owner.token;
    expect((await call("GET", `/v1/programs/${own.id}`, { token })).body.allocated).toBe("200.00");
    expect(
      (await call("DELETE", `/v1/organisations/${leaving.id}`, { token: leaving.people.owner.token })).status,
    ).toBe(204);
    expect((await call("GET", `/v1/programs/${own.id}`, { token })).body.allocated).toBe("0.00");
  });
});

describe("deleting what is in use", () => {
  it("a program with an opportunity, or with an accepted application, is a 409; nothing changes", async () => {
    const accepted = await insertProgram(funder);
    await insertApplication(accepted.uuid, deliverer, "accepted");
    const before = await snapshot(funder.uuid);
    const reply = await call("DELETE", `/v1/programs/${program.id}`, { token: funder.people.owner.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.opportunity_id).toBe(managed.id);
    const second = await call("DELETE", `/v1/programs/${accepted.id}`, { token: funder.people.owner.token });
    expect(second.status).toBe(409);
    expect(second.body.error.application_id).toMatch(/^papp_/);
    expect(await snapshot(funder.uuid)).toEqual(before);
  });

  it("a payment unit with a child or a deliver unit is a 409 naming them, from either side", async () => {
    const parent = await insertPaymentUnit(managed.uuid);
    const child = await insertPaymentUnit(managed.uuid, { parentPaymentUnitId: parent.uuid });
    const deliver = await insertDeliverUnit(managed.uuid, child.uuid);
    for (const token of [deliverer.people.owner.token, funder.people.owner.token]) {
      const first = await call("DELETE", `/v1/payment-units/${parent.id}`, { token });
      expect(first.status).toBe(409);
      expect(first.body.error.child_payment_unit_ids).toEqual([child.id]);
      const second = await call("DELETE", `/v1/payment-units/${child.id}`, { token });
      expect(second.status).toBe(409);
      expect(second.body.error.deliver_unit_ids).toEqual([deliver.id]);
    }
  });

  it("an opportunity that is not a draft is a 409; a delivery type in use is a 409", async () => {
    const open = await insertOpportunity(deliverer, { status: "open" });
    const reply = await call("DELETE", `/v1/opportunities/${open.id}`, { token: deliverer.people.owner.token });
    expect(reply.status).toBe(409);
    expect(reply.body.error.current_status).toBe("open");
    const type = await deliveryType("test-delivery");
    const refused = await call("DELETE", `/v1/delivery-types/${type.id}`, { token: await platformAdminToken() });
    expect(refused.status).toBe(409);
  });
});
