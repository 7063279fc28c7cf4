// Curating the delivery-type catalog: platform administrators create, change and delete delivery types; slugs
// are kebab-case and unique (409); a type in use cannot be deleted (409 naming the user); every change is on
// the platform's audit trail (PLATFORM_ORGANISATION_ID) with the administrator as the actor.
import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ORGANISATION_ID } from "../../functions/platform/audit";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { deliveryTypes } from "../../schema";
import {
  auditEventsOf,
  call,
  createTenant,
  deliveryType,
  expectOneWinner,
  insertOpportunity,
  insertProgram,
  PLATFORM_ADMIN_EMAIL,
  platformAdminToken,
  raceRounds,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";

let admin: string;
let tenant: Tenant;
beforeAll(async () => {
  [admin, tenant] = await Promise.all([platformAdminToken(), createTenant("curated")]);
});

const slug = () => `curated-${uniqueSuffix()}`;
const create = (body: unknown) => call("POST", "/v1/delivery-types", { token: admin, body });

describe("curating delivery types", () => {
  it("an administrator creates one: 201 with the full representation, on the platform's trail", async () => {
    const body = { slug: slug(), name: "Street outreach", description: "Meeting people <b>where</b> they are." };
    const reply = await create(body);
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({
      object: "delivery_type",
      slug: body.slug,
      name: "Street outreach",
      description: "Meeting people where they are.",
    });
    expect(reply.body.id).toMatch(/^dt_/);
    const [event, ...more] = await auditEventsOf(reply);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      organisationId: PLATFORM_ORGANISATION_ID,
      action: "delivery_type.created",
      actorType: "user",
      actorEmail: PLATFORM_ADMIN_EMAIL,
      resourceType: "delivery_type",
      resourceName: body.slug,
    });
    expect(event!.changes.slug).toEqual({ old: null, new: body.slug });
    // Public at once.
    expect((await call("GET", `/v1/delivery-types/${reply.body.id}`)).body.name).toBe("Street outreach");
  });

  it("without a description it is empty", async () => {
    const reply = await create({ slug: slug(), name: "Plain" });
    expect(reply.status).toBe(201);
    expect(reply.body.description).toBe("");
  });

  it("a slug already taken is 409 with the existing one's id", async () => {
    const first = await create({ slug: slug(), name: "First" });
    const again = await create({ slug: first.body.slug, name: "Second" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", existing_id: first.body.id });
    expect(again.body.error.message).toContain(first.body.slug);
  });

  it("two parallel creates of one slug: exactly one wins", async () => {
    await raceRounds(
      async () => ({ slug: slug(), name: "Raced" }),
      async (body) => expectOneWinner(await Promise.all([create(body), create(body)]), "conflict"),
    );
  });

  it("a slug is kebab-case and at most 50 characters; the body is strict; a name is required", async () => {
    for (const bad of ["Field-Work", "field work", "-field", "field-", "field--work", "", "é-t", "a".repeat(51)]) {
      const reply = await create({ slug: bad, name: "Bad" });
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(reply.body.error.fields).toHaveProperty("slug");
    }
    expect((await create({ slug: "a".repeat(50), name: "Long" })).status).toBe(201);
    for (const [body, field] of [
      [{ slug: slug() }, "name"],
      [{ slug: slug(), name: "  " }, "name"],
      [{ slug: slug(), name: "x", id: "dt_01h455vb4pex5vsknk084sn02q" }, "id"],
      [{ slug: slug(), name: "x", created_at: "2026-01-01T00:00:00Z" }, "created_at"],
    ] as const) {
      const reply = await create(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.fields).toHaveProperty(field);
    }
  });

  it("a PATCH changes the given fields, audited with the diff; a PATCH that changes nothing writes nothing", async () => {
    const made = await create({ slug: slug(), name: "Before", description: "Old" });
    const reply = await call("PATCH", `/v1/delivery-types/${made.body.id}`, {
      token: admin,
      body: { name: "After" },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ name: "After", description: "Old", slug: made.body.slug });
    const [event] = await auditEventsOf(reply);
    expect(event).toMatchObject({ action: "delivery_type.updated", organisationId: PLATFORM_ORGANISATION_ID });
    expect(event!.changes).toEqual({ name: { old: "Before", new: "After" } });
    for (const body of [{ name: "After" }, {}]) {
      const same = await call("PATCH", `/v1/delivery-types/${made.body.id}`, { token: admin, body });
      expect(same.status).toBe(200);
      expect(same.body.updated_at).toBe(reply.body.updated_at);
      expect(await auditEventsOf(same)).toEqual([]);
    }
  });

  it("a new slug must be free (409 naming the holder); an unknown id is 404", async () => {
    const [one, two] = await Promise.all([
      create({ slug: slug(), name: "One" }),
      create({ slug: slug(), name: "Two" }),
    ]);
    const taken = await call("PATCH", `/v1/delivery-types/${two.body.id}`, {
      token: admin,
      body: { slug: one.body.slug },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.existing_id).toBe(one.body.id);
    const moved = await call("PATCH", `/v1/delivery-types/${two.body.id}`, { token: admin, body: { slug: slug() } });
    expect(moved.status).toBe(200);
    const unknown = toTypeId(ID_PREFIX.delivery_type, crypto.randomUUID());
    for (const method of ["PATCH", "DELETE"]) {
      const reply = await call(method, `/v1/delivery-types/${unknown}`, { token: admin, body: { name: "x" } });
      expect(reply.status, method).toBe(404);
    }
  });

  it("an unused one is deleted: 204, gone, audited", async () => {
    const made = await create({ slug: slug(), name: "Short-lived" });
    const reply = await call("DELETE", `/v1/delivery-types/${made.body.id}`, { token: admin });
    expect(reply.status).toBe(204);
    expect((await call("GET", `/v1/delivery-types/${made.body.id}`)).status).toBe(404);
    const [event] = await auditEventsOf(reply);
    expect(event).toMatchObject({ action: "delivery_type.deleted", organisationId: PLATFORM_ORGANISATION_ID });
    expect(event!.changes.slug).toEqual({ old: made.body.slug, new: null });
  });

  it("one a program uses is 409 naming the program; one an opportunity uses is 409 naming the opportunity", async () => {
    const forProgram = await deliveryType(slug());
    const program = await insertProgram(tenant, { deliveryTypeId: forProgram.uuid });
    const refused = await call("DELETE", `/v1/delivery-types/${forProgram.id}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", program_id: program.id });
    expect(refused.body.error.message).toContain(program.id);

    const forOpportunity = await deliveryType(slug());
    const opportunity = await insertOpportunity(tenant, { deliveryTypeId: forOpportunity.uuid });
    const also = await call("DELETE", `/v1/delivery-types/${forOpportunity.id}`, { token: admin });
    expect(also.status).toBe(409);
    expect(also.body.error).toMatchObject({ opportunity_id: opportunity.id });
    expect(also.body.error).not.toHaveProperty("program_id");
    // Still there, and nothing audited.
    expect((await call("GET", `/v1/delivery-types/${forProgram.id}`)).status).toBe(200);
    expect(await auditEventsOf(refused)).toEqual([]);
  });

  it("members of any organisation, even owners, and service accounts cannot curate (403), and nothing changes", async () => {
    const made = await deliveryType(slug());
    const refusedSlugs: string[] = [];
    for (const token of [tenant.people.owner.token, tenant.people.admin.token, tenant.serviceAccount.token]) {
      const refusedSlug = slug();
      refusedSlugs.push(refusedSlug);
      const created = await call("POST", "/v1/delivery-types", { token, body: { slug: refusedSlug, name: "Nope" } });
      expect(created.status).toBe(403);
      expect((await call("PATCH", `/v1/delivery-types/${made.id}`, { token, body: { name: "Nope" } })).status).toBe(
        403,
      );
      expect((await call("DELETE", `/v1/delivery-types/${made.id}`, { token })).status).toBe(403);
    }
    const still = await call("GET", `/v1/delivery-types/${made.id}`);
    const written = await withDb((db) =>
      db.select().from(deliveryTypes).where(inArray(deliveryTypes.slug, refusedSlugs)),
    );
    expect(written).toEqual([]);
    expect(still.body).toMatchObject({ slug: made.slug, name: made.slug });
  });
});
