// The public side of the delivery-type catalog: list (paginated, oldest first) and get, without a token,
// cacheable with an ETag that follows the content; and the seed that gives a fresh database its catalog.
import { describe, expect, it } from "vitest";
import { SEEDED_DELIVERY_TYPES, seedDeliveryTypes } from "../../db/seed-catalogs";
import { PLATFORM_ORGANISATION_ID } from "../../functions/platform/audit";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { deliveryTypes } from "../../schema";
import { auditTrail, call, deliveryType, platformAdminToken, uniqueSuffix, withDb } from "../harness";

const get = (path: string, headers: Record<string, string> = {}) => call("GET", path, { headers });

describe("the delivery-type catalog, read by anyone", () => {
  it("gets one by id without a token: its full representation", async () => {
    const made = await deliveryType(`public-${uniqueSuffix()}`);
    const reply = await get(`/v1/delivery-types/${made.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: made.id, object: "delivery_type", slug: made.slug });
    expect(reply.headers.get("cache-control")).toBe("public, max-age=300");
    expect(reply.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it("an unknown id is 404 and a wrong prefix 400, neither stored by caches", async () => {
    const unknown = await get(`/v1/delivery-types/${toTypeId(ID_PREFIX.delivery_type, crypto.randomUUID())}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    const wrong = await get(`/v1/delivery-types/${toTypeId(ID_PREFIX.program, crypto.randomUUID())}`);
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
  });

  it("lists them oldest first, a page at a time, every one exactly once", async () => {
    const made = await Promise.all([1, 2, 3].map(() => deliveryType(`paged-${uniqueSuffix()}`)));
    const seen: string[] = [];
    let path = "/v1/delivery-types?limit=2";
    for (let pages = 0; pages < 500; pages++) {
      const reply = await get(path);
      expect(reply.status).toBe(200);
      expect(reply.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.data.map((type: { id: string }) => type.id));
      if (!reply.body.has_more) break;
      path = `/v1/delivery-types?limit=2&cursor=${reply.body.next_cursor}`;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(made.map((type) => type.id)));
    expect((await get("/v1/delivery-types?cursor=nonsense")).status).toBe(400);
  });

  it("an edit changes the ETag: the old one is answered in full, the new one with 304", async () => {
    const made = await deliveryType(`etag-${uniqueSuffix()}`);
    const path = `/v1/delivery-types/${made.id}`;
    const before = (await get(path)).headers.get("etag")!;
    expect((await get(path, { "if-none-match": before })).status).toBe(304);
    const admin = await platformAdminToken();
    expect((await call("PATCH", path, { token: admin, body: { name: "Edited" } })).status).toBe(200);
    const stale = await get(path, { "if-none-match": before });
    expect(stale.status).toBe(200);
    expect(stale.body.name).toBe("Edited");
    const after = stale.headers.get("etag")!;
    expect(after).not.toBe(before);
    expect((await get(path, { "if-none-match": `W/${after}` })).status).toBe(304);
  });

  it("a list page has its own ETag and 304s while it is unchanged", async () => {
    const first = await get("/v1/delivery-types?limit=1");
    const tag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).toBe("public, max-age=300");
    const again = await get("/v1/delivery-types?limit=1", { "if-none-match": tag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect((await get("/v1/delivery-types?limit=2", { "if-none-match": tag })).status).toBe(200);
  });
});

describe("the seeded catalog", () => {
  it("seeding adds the missing types once, audited by the seed, and leaves edited ones alone", async () => {
    const added = await withDb((db) => seedDeliveryTypes(db));
    expect(await withDb((db) => seedDeliveryTypes(db))).toEqual([]);
    const listed = await withDb((db) => db.select().from(deliveryTypes));
    for (const seeded of SEEDED_DELIVERY_TYPES) {
      expect(listed.find((row) => row.slug === seeded.slug)).toBeDefined();
    }
    const trail = await auditTrail(PLATFORM_ORGANISATION_ID);
    for (const slug of added) {
      expect(trail.filter((event) => event.resourceName === slug && event.actorType === "system")).toHaveLength(1);
    }
    expect(SEEDED_DELIVERY_TYPES.map((type) => type.slug)).toEqual(
      expect.arrayContaining(["remote-volunteering", "field-work", "training", "research", "mentoring"]),
    );
  });
});
