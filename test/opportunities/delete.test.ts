import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { opportunities, paymentUnits } from "../../schema";
import {
  auditTrail,
  call,
  createTenant,
  insertDeliverUnit,
  insertOpportunity,
  insertPaymentUnit,
  type Tenant,
  withDb,
} from "../harness";

let tenant: Tenant;
let outsider: Tenant;

beforeAll(async () => {
  [tenant, outsider] = await Promise.all([createTenant("opp-delete"), createTenant("opp-delete-out")]);
});

const remove = (id: string, token = tenant.people.owner.token) => call("DELETE", `/v1/opportunities/${id}`, { token });
const exists = async (uuid: string) =>
  withDb(async (db) => (await db.select().from(opportunities).where(eq(opportunities.id, uuid))).length === 1);

describe("deleting an opportunity", () => {
  it("a draft is deleted with its payment units (a parent and its child) and deliver units; audited", async () => {
    const { id, uuid } = await insertOpportunity(tenant, { status: "draft" });
    const parent = await insertPaymentUnit(uuid);
    const child = await insertPaymentUnit(uuid, { parentPaymentUnitId: parent.uuid });
    await insertDeliverUnit(uuid, child.uuid);
    const reply = await remove(id, tenant.people.manager.token);
    expect(reply.status, reply.text).toBe(204);
    expect(await exists(uuid)).toBe(false);
    const units = await withDb((db) => db.select().from(paymentUnits).where(eq(paymentUnits.opportunityId, uuid)));
    expect(units).toEqual([]);
    const events = (await auditTrail(tenant.uuid)).filter((event) => event.resourceId === uuid);
    expect(events.map((event) => event.action)).toEqual(["opportunity.deleted"]);
    expect(events[0]!.changes).toMatchObject({ status: { old: "draft", new: null } });
    expect((await remove(id)).status, "gone").toBe(404);
  });

  it.each(["open", "on_hold", "closed", "filled"] as const)("a %s one is a 409 and stays", async (status) => {
    const { id, uuid } = await insertOpportunity(tenant, { status });
    const reply = await remove(id);
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "conflict", current_status: status });
    expect(await exists(uuid)).toBe(true);
  });

  it("a viewer gets 403 and another organisation's owner 404; the draft stays", async () => {
    const { id, uuid } = await insertOpportunity(tenant, { status: "draft" });
    expect((await remove(id, tenant.people.viewer.token)).status).toBe(403);
    expect((await remove(id, outsider.people.owner.token)).status).toBe(404);
    expect(await exists(uuid)).toBe(true);
  });
});
