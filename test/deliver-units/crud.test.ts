import { beforeAll, describe, expect, it } from "vitest";
import { call, expectOneWinner, insertOpportunity, raceRounds, uniqueSuffix } from "../harness";
import { type Arrangement, arrange, createDeliverUnit, eventsAbout, madePaymentUnit } from "../payment-units/helpers";

let a: Arrangement;
let owner: string;
let paymentUnit: string;

beforeAll(async () => {
  a = await arrange("du-crud");
  owner = a.deliverer.people.owner.token;
  paymentUnit = await madePaymentUnit(owner, a.managed.id);
});

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((unit) => unit.id);

describe("deliver units: create, read, change, delete", () => {
  it("creates one paid through a payment unit of the same opportunity; required unless said optional", async () => {
    const created = await createDeliverUnit(owner, a.managed.id, {
      name: "Survey form",
      slug: "survey-form",
      payment_unit_id: paymentUnit,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      object: "deliver_unit",
      opportunity_id: a.managed.id,
      payment_unit_id: paymentUnit,
      name: "Survey form",
      slug: "survey-form",
      optional: false,
    });
    expect(created.body.id).toMatch(/^du_/);
    const got = await call("GET", `/v1/deliver-units/${created.body.id}`, { token: a.deliverer.people.admin.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const loose = await createDeliverUnit(owner, a.managed.id, { optional: true });
    expect(loose.body).toMatchObject({ optional: true, payment_unit_id: null });
  });

  it("lists by opportunity or by payment unit (or both), a page at a time; with neither it is 400", async () => {
    const opportunity = await insertOpportunity(a.deliverer, { currency: "EUR" });
    const unit = await madePaymentUnit(owner, opportunity.id);
    const made = [];
    for (const payment_unit_id of [unit, null, unit]) {
      made.push((await createDeliverUnit(owner, opportunity.id, { payment_unit_id })).body.id as string);
    }
    const all = await call("GET", `/v1/deliver-units?opportunity_id=${opportunity.id}`, { token: owner });
    expect(ids(all)).toEqual(made);
    const paid = await call("GET", `/v1/deliver-units?payment_unit_id=${unit}&limit=1`, { token: owner });
    expect(ids(paid)).toEqual([made[0]]);
    expect(paid.body.has_more).toBe(true);
    const next = await call("GET", `/v1/deliver-units?payment_unit_id=${unit}&cursor=${paid.body.next_cursor}`, {
      token: owner,
    });
    expect(ids(next)).toEqual([made[2]]);
    const both = await call("GET", `/v1/deliver-units?opportunity_id=${opportunity.id}&payment_unit_id=${unit}`, {
      token: owner,
    });
    expect(ids(both)).toEqual([made[0], made[2]]);
    const mismatched = await call("GET", `/v1/deliver-units?opportunity_id=${a.managed.id}&payment_unit_id=${unit}`, {
      token: owner,
    });
    expect(ids(mismatched)).toEqual([]);
    const neither = await call("GET", "/v1/deliver-units", { token: owner });
    expect(neither.status).toBe(400);
    expect(Object.keys(neither.body.error.fields).sort()).toEqual(["opportunity_id", "payment_unit_id"]);
    const ghost = await call("GET", "/v1/deliver-units?payment_unit_id=pu_01h455vb4pex5vsknk084sn02q", {
      token: owner,
    });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toBe("No such payment unit.");
  });

  it("PATCH renames, re-slugs, moves to another payment unit or none, and a no-op writes nothing", async () => {
    const other = await madePaymentUnit(owner, a.managed.id);
    const created = await createDeliverUnit(owner, a.managed.id, { payment_unit_id: paymentUnit });
    const id = created.body.id;
    const changed = await call("PATCH", `/v1/deliver-units/${id}`, {
      token: owner,
      body: { name: "Renamed", slug: `renamed-${uniqueSuffix()}`, payment_unit_id: other, optional: true },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ name: "Renamed", payment_unit_id: other, optional: true });
    const detached = await call("PATCH", `/v1/deliver-units/${id}`, { token: owner, body: { payment_unit_id: null } });
    expect(detached.body.payment_unit_id).toBeNull();
    const trail = await eventsAbout(id);
    const same = await call("PATCH", `/v1/deliver-units/${id}`, { token: owner, body: { name: "Renamed" } });
    expect(same.status).toBe(200);
    expect(same.body.updated_at).toBe(detached.body.updated_at);
    expect(await eventsAbout(id)).toHaveLength(trail.length);
  });

  it("deletes one (204, then 404), and every write is audited with what changed", async () => {
    const created = await createDeliverUnit(owner, a.managed.id, { name: "Short-lived" });
    const id = created.body.id;
    await call("PATCH", `/v1/deliver-units/${id}`, { token: owner, body: { optional: true } });
    expect((await call("DELETE", `/v1/deliver-units/${id}`, { token: owner })).status).toBe(204);
    expect((await call("GET", `/v1/deliver-units/${id}`, { token: owner })).status).toBe(404);
    const events = await eventsAbout(id);
    expect(events.map((e) => e.action)).toEqual([
      "deliver_unit.created",
      "deliver_unit.updated",
      "deliver_unit.deleted",
    ]);
    expect(events.every((e) => e.organisationId === a.deliverer.uuid && e.resourceName === "Short-lived")).toBe(true);
    expect(events[1]!.changes).toEqual({ optional: { old: false, new: true } });
  });
});

describe("deliver units: slugs and payment units", () => {
  it("a slug is unique per opportunity: 409 with the existing id, on create and on PATCH; elsewhere it is free", async () => {
    const slug = `unique-${uniqueSuffix()}`;
    const first = await createDeliverUnit(owner, a.managed.id, { slug });
    const again = await createDeliverUnit(owner, a.managed.id, { slug });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", existing_id: first.body.id });
    const second = await createDeliverUnit(owner, a.managed.id);
    const renamed = await call("PATCH", `/v1/deliver-units/${second.body.id}`, { token: owner, body: { slug } });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.existing_id).toBe(first.body.id);
    const elsewhere = await createDeliverUnit(owner, a.standalone.id, { slug });
    expect(elsewhere.status).toBe(201);
    const keep = await call("PATCH", `/v1/deliver-units/${first.body.id}`, { token: owner, body: { slug } });
    expect(keep.status).toBe(200);
  });

  it("slugs are kebab-case of at most 50 characters", async () => {
    for (const slug of ["Upper", "two--dashes", "-lead", "trail-", "under_score", "sp ace", "", "x".repeat(51)]) {
      const reply = await createDeliverUnit(owner, a.managed.id, { slug });
      expect(reply.status, JSON.stringify(slug)).toBe(400);
      expect(reply.body.error.fields).toHaveProperty("slug");
    }
    expect((await createDeliverUnit(owner, a.managed.id, { slug: `a1-${"b".repeat(40)}` })).status).toBe(201);
  });

  it("two creates of one slug at once: one is created, the other is 409 naming it", async () => {
    await raceRounds(
      async () => `raced-${uniqueSuffix()}`,
      async (slug) => {
        const replies = await Promise.all([
          createDeliverUnit(owner, a.managed.id, { slug }),
          createDeliverUnit(owner, a.managed.id, { slug }),
        ]);
        expectOneWinner(replies, "conflict");
        const winner = replies.find((reply) => reply.status === 201)!;
        expect(replies.find((reply) => reply.status === 409)!.body.error.existing_id).toBe(winner.body.id);
      },
    );
  });

  it("a payment unit of another opportunity is 400 on payment_unit_id, on create and on PATCH", async () => {
    const foreign = await madePaymentUnit(owner, a.standalone.id, { amount: "100" });
    const created = await createDeliverUnit(owner, a.managed.id, { payment_unit_id: foreign });
    expect(created.status).toBe(400);
    expect(created.body.error.fields.payment_unit_id).toEqual(["is not a payment unit of this opportunity"]);
    const unit = await createDeliverUnit(owner, a.managed.id);
    const moved = await call("PATCH", `/v1/deliver-units/${unit.body.id}`, {
      token: owner,
      body: { payment_unit_id: foreign },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields).toHaveProperty("payment_unit_id");
    const wrongPrefix = await createDeliverUnit(owner, a.managed.id, { payment_unit_id: unit.body.id });
    expect(wrongPrefix.status).toBe(400);
  });

  it("a payment unit deleted while a deliver unit is made on it: one of the two wins", async () => {
    await raceRounds(
      () => madePaymentUnit(owner, a.managed.id),
      async (unit) => {
        const [removed, created] = await Promise.all([
          call("DELETE", `/v1/payment-units/${unit}`, { token: owner }),
          createDeliverUnit(owner, a.managed.id, { payment_unit_id: unit }),
        ]);
        const outcome = `${removed.status}/${created.status}`;
        expect(["204/400", "409/201"], `${outcome}: ${removed.text} ${created.text}`).toContain(outcome);
        if (removed.status === 409) expect(removed.body.error.deliver_unit_ids).toEqual([created.body.id]);
      },
    );
  });
});
