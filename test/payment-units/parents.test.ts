import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { paymentUnits } from "../../schema";
import { call, insertDeliverUnit, insertOpportunity, insertPaymentUnit, raceRounds, withDb } from "../harness";
import { type Arrangement, arrange, createPaymentUnit, madePaymentUnit } from "./helpers";

let a: Arrangement;
let owner: string;

beforeAll(async () => {
  a = await arrange("pu-parents");
  owner = a.deliverer.people.owner.token;
});

const patch = (id: string, body: Record<string, unknown>) =>
  call("PATCH", `/v1/payment-units/${id}`, { token: owner, body });
const uuidOf = (id: string) => parseTypeId(ID_PREFIX.payment_unit, id)!;

describe("payment units: parents, one level deep", () => {
  it("a unit may sit under a parent of the same opportunity, and be detached again", async () => {
    const parent = await madePaymentUnit(owner, a.managed.id);
    const child = await createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent });
    expect(child.status, child.text).toBe(201);
    expect(child.body.parent_payment_unit_id).toBe(parent);
    const detached = await patch(child.body.id, { parent_payment_unit_id: null });
    expect(detached.status).toBe(200);
    expect(detached.body.parent_payment_unit_id).toBeNull();
  });

  it("a parent that has a parent itself is 400 on parent_payment_unit_id, naming its own parent", async () => {
    const parent = await madePaymentUnit(owner, a.managed.id);
    const child = await madePaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent });
    const grandchild = await createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: child });
    expect(grandchild.status).toBe(400);
    expect(grandchild.body.error.fields.parent_payment_unit_id).toEqual([
      `is itself under ${parent}; payment units nest one level only`,
    ]);
  });

  it("a parent of another opportunity, or none at all, is 400 (the same answer: nothing leaks)", async () => {
    const elsewhere = await madePaymentUnit(owner, a.standalone.id, { amount: "100" });
    const foreign = await createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: elsewhere });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.parent_payment_unit_id).toEqual(["is not a payment unit of this opportunity"]);
    const ghost = await createPaymentUnit(owner, a.managed.id, {
      parent_payment_unit_id: "pu_01h455vb4pex5vsknk084sn02q",
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.fields.parent_payment_unit_id).toEqual(["is not a payment unit of this opportunity"]);
    const wrongKind = await createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: a.managed.id });
    expect(wrongKind.status).toBe(400);
  });

  it("a unit cannot be its own parent, and a unit with children cannot get one (naming them)", async () => {
    const parent = await madePaymentUnit(owner, a.managed.id);
    const self = await patch(parent, { parent_payment_unit_id: parent });
    expect(self.status).toBe(400);
    expect(self.body.error.fields.parent_payment_unit_id).toEqual(["cannot be the payment unit itself"]);
    const childA = await madePaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent });
    const childB = await madePaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent });
    const other = await madePaymentUnit(owner, a.managed.id);
    const nested = await patch(parent, { parent_payment_unit_id: other });
    expect(nested.status).toBe(400);
    expect(nested.body.error.fields.parent_payment_unit_id).toEqual([
      `cannot be set: this payment unit is the parent of ${childA}, ${childB} (one level only)`,
    ]);
    const moved = await patch(childA, { parent_payment_unit_id: other });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.parent_payment_unit_id).toBe(other);
  });
});

describe("payment units: deleting one in use", () => {
  it("is 409 while child payment units or deliver units use it, naming them; then goes", async () => {
    const parent = await madePaymentUnit(owner, a.managed.id);
    const child = await madePaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent });
    const deliverable = await insertDeliverUnit(a.managed.uuid, uuidOf(parent));
    const refused = await call("DELETE", `/v1/payment-units/${parent}`, { token: owner });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "conflict",
      child_payment_unit_ids: [child],
      deliver_unit_ids: [deliverable.id],
    });
    expect(await call("DELETE", `/v1/payment-units/${child}`, { token: owner })).toMatchObject({ status: 204 });
    const stillUsed = await call("DELETE", `/v1/payment-units/${parent}`, { token: owner });
    expect(stillUsed.body.error).toMatchObject({ child_payment_unit_ids: [], deliver_unit_ids: [deliverable.id] });
    await call("DELETE", `/v1/deliver-units/${deliverable.id}`, { token: owner });
    expect((await call("DELETE", `/v1/payment-units/${parent}`, { token: owner })).status).toBe(204);
  });

  it("the last payment unit of an open managed opportunity stays (409); of a draft it goes", async () => {
    const open = await insertOpportunity(a.deliverer, {
      programId: a.program.uuid,
      currency: "EUR",
      status: "open",
      endDate: "2026-12-31",
    });
    const [first, second] = [await insertPaymentUnit(open.uuid), await insertPaymentUnit(open.uuid)];
    expect((await call("DELETE", `/v1/payment-units/${first.id}`, { token: owner })).status).toBe(204);
    const last = await call("DELETE", `/v1/payment-units/${second.id}`, { token: owner });
    expect(last.status).toBe(409);
    expect(last.body.error).toMatchObject({ code: "conflict", opportunity_id: open.id });
    const draft = await insertOpportunity(a.deliverer, { programId: a.program.uuid, currency: "EUR", status: "draft" });
    const only = await insertPaymentUnit(draft.uuid);
    expect((await call("DELETE", `/v1/payment-units/${only.id}`, { token: owner })).status).toBe(204);
  });
});

describe("payment units: concurrent changes stay one level deep", () => {
  it("a parent deleted while a child is created under it: one of the two wins, never both", async () => {
    await raceRounds(
      () => madePaymentUnit(owner, a.managed.id),
      async (parent) => {
        const [removed, child] = await Promise.all([
          call("DELETE", `/v1/payment-units/${parent}`, { token: owner }),
          createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: parent }),
        ]);
        const outcome = `${removed.status}/${child.status}`;
        expect(["204/400", "409/201"], `${outcome}: ${removed.text} ${child.text}`).toContain(outcome);
      },
    );
  });

  it("two units made each other's parent at once: one succeeds, the other is 400", async () => {
    await raceRounds(
      async () => [await madePaymentUnit(owner, a.managed.id), await madePaymentUnit(owner, a.managed.id)] as const,
      async ([x, y]) => {
        const replies = await Promise.all([
          patch(x, { parent_payment_unit_id: y }),
          patch(y, { parent_payment_unit_id: x }),
        ]);
        expect(replies.map((r) => r.status).sort(), replies.map((r) => r.text).join(" ")).toEqual([200, 400]);
        const rows = await withDb((db) =>
          db
            .select()
            .from(paymentUnits)
            .where(inArray(paymentUnits.id, [uuidOf(x), uuidOf(y)])),
        );
        expect(rows.filter((row) => row.parentPaymentUnitId !== null)).toHaveLength(1);
      },
    );
  });

  it("a child created under a unit while that unit gets a parent: never two levels", async () => {
    await raceRounds(
      async () => [await madePaymentUnit(owner, a.managed.id), await madePaymentUnit(owner, a.managed.id)] as const,
      async ([middle, top]) => {
        const [moved, child] = await Promise.all([
          patch(middle, { parent_payment_unit_id: top }),
          createPaymentUnit(owner, a.managed.id, { parent_payment_unit_id: middle }),
        ]);
        const outcome = `${moved.status}/${child.status}`;
        expect(["200/400", "400/201"], `${outcome}: ${moved.text} ${child.text}`).toContain(outcome);
        const [row] = await withDb((db) =>
          db
            .select()
            .from(paymentUnits)
            .where(eq(paymentUnits.id, uuidOf(middle))),
        );
        const children = await withDb((db) =>
          db
            .select()
            .from(paymentUnits)
            .where(eq(paymentUnits.parentPaymentUnitId, uuidOf(middle))),
        );
        expect(row!.parentPaymentUnitId === null || children.length === 0).toBe(true);
      },
    );
  });
});
