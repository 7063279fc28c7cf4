// Streamed exports (GET /v1/exports/{resource}): the same rows as the list with the same filters, in CSV (RFC 4180
// through a parser: quotes, commas, newlines, unicode, formulas neutralised), JSON and NDJSON; tenancy and the
// list's own read rule hold; the plan, the scope and the permission gate it; each export is audited.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_BATCH } from "../../functions/exports/format";
import gateway from "../../functions/gateway";
import { auditEvents } from "../../schema";
import {
  auditTrail,
  call,
  createTenant,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  type Reply,
  type Tenant,
  testEnv,
  withDb,
} from "../harness";

let tenant: Tenant;
let other: Tenant;

const TRICKY_NAMES = [
  'Comma, "quoted" and ünïcödé ✓',
  "two\nlines\r\nand CRLF",
  '=HYPERLINK("https://evil.example")',
  "+1 plus",
  "-2 minus",
  "@SUM(A1)",
  "\ttab first",
];

const exportOf = (path: string, token = tenant.people.owner.token) => call("GET", path, { token });

const csvRecords = (reply: Reply) => parse(reply.text, { columns: true, bom: false }) as Record<string, string>[];

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant("export"), createTenant("export-other")]);
  for (const name of TRICKY_NAMES) await insertProgram(tenant, { name });
  await insertProgram(other, { name: "Not yours" });
});

describe("CSV", () => {
  it("has a header row and one record per program, round-tripping quotes, commas, newlines and unicode", async () => {
    const reply = await exportOf(`/v1/exports/programs?organisation_id=${tenant.id}&format=csv`);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(reply.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="programs-${tenant.id}-\\d{4}-\\d{2}-\\d{2}-[0-9a-z]{8}\\.csv"$`),
    );
    expect(reply.text.split("\r\n")[0]).toMatch(/^id,object,organisation_id,name,/);
    const records = csvRecords(reply);
    const list = await call("GET", `/v1/programs?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.owner.token,
    });
    expect(records.map((record) => record.id)).toEqual(list.body.data.map((program: { id: string }) => program.id));
    const names = records.map((record) => record.name);
    expect(names.slice(0, 2)).toEqual(TRICKY_NAMES.slice(0, 2));
    expect(names).not.toContain("Not yours");
  });

  it("neutralises cells a spreadsheet would run as a formula (= + - @ and a leading tab) with a leading quote", async () => {
    const reply = await exportOf(`/v1/exports/programs?organisation_id=${tenant.id}`);
    const names = csvRecords(reply).map((record) => record.name);
    expect(names.slice(2)).toEqual(TRICKY_NAMES.slice(2).map((name) => `'${name}`));
  });

  it("flattens nested fields into dotted columns and lists into one JSON cell", async () => {
    const reply = await exportOf(`/v1/exports/members?organisation_id=${tenant.id}`);
    expect(reply.status, reply.text).toBe(200);
    const records = csvRecords(reply);
    expect(records).toHaveLength(5);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(["user.email", "role.key"]));
    expect(records.map((record) => record["user.email"]).sort()).toEqual(
      Object.values(tenant.people)
        .map((person) => person.email)
        .sort(),
    );
  });
});

describe("JSON and NDJSON", () => {
  it("JSON is one array of the list's items; NDJSON one item per line; both parse and match the list", async () => {
    const list = await call("GET", `/v1/programs?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.owner.token,
    });
    const json = await exportOf(`/v1/exports/programs?organisation_id=${tenant.id}&format=json`);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(JSON.parse(json.text)).toEqual(list.body.data);
    const ndjson = await exportOf(`/v1/exports/programs?organisation_id=${tenant.id}&format=ndjson`);
    expect(ndjson.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const lines = ndjson.text.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(list.body.data);
  });

  it("an empty list is an empty array, an empty NDJSON file, and a CSV of its header alone", async () => {
    const base = `/v1/exports/invitations?organisation_id=${tenant.id}&status=accepted`;
    expect(JSON.parse((await exportOf(`${base}&format=json`)).text)).toEqual([]);
    expect((await exportOf(`${base}&format=ndjson`)).text).toBe("");
    const csv = await exportOf(`${base}&format=csv`);
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("more rows than one batch", () => {
  it("streams every row of a long audit trail once, newest first, the same as the list's pages", async () => {
    const busy = await createTenant("export-long");
    // More than two batches.
    await insertProgram(busy);
    await withDb((db) =>
      db.insert(auditEvents).values(
        Array.from({ length: 2 * EXPORT_BATCH + 100 }, (_, i) => ({
          organisationId: busy.uuid,
          actorType: "system" as const,
          action: "program.updated" as const,
          resourceType: "program",
          resourceId: busy.uuid,
          resourceName: `event ${i}`,
        })),
      ),
    );
    const reply = await exportOf(
      `/v1/exports/audit-events?organisation_id=${busy.id}&format=ndjson`,
      busy.people.owner.token,
    );
    expect(reply.status, reply.text.slice(0, 300)).toBe(200);
    const items = reply.text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const ids = items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort().reverse());
    const trail = await auditTrail(busy.uuid);
    // Everything before this export's own event, which is written once the file is complete.
    expect(items.length).toBe(trail.filter((event) => event.action !== "export.created").length);
  });
});

describe("filters, tenancy and the read rules", () => {
  it("honours the list's filters: audit events by action and time", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const reply = await exportOf(
      `/v1/exports/audit-events?organisation_id=${tenant.id}&format=json&action=organisation.created&since=${encodeURIComponent(since)}`,
    );
    expect(reply.status, reply.text).toBe(200);
    const items = JSON.parse(reply.text);
    expect(items).toHaveLength(1);
    expect(items[0].action).toBe("organisation.created");
  });

  it("another organisation's export is a 404, and a bad filter a 400 naming it", async () => {
    const foreign = await exportOf(`/v1/exports/programs?organisation_id=${other.id}`);
    expect(foreign.status).toBe(404);
    const bad = await exportOf(`/v1/exports/invitations?organisation_id=${tenant.id}&status=lost`);
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(["status"]);
    const format = await exportOf(`/v1/exports/members?organisation_id=${tenant.id}&format=xlsx`);
    expect(format.status).toBe(400);
    expect(Object.keys(format.body.error.fields)).toEqual(["format"]);
    // A mistyped filter would export the whole list: it is refused, as in a job's filters.
    const typo = await exportOf(`/v1/exports/members?organisation_id=${tenant.id}&roleid=x`);
    expect(typo.status).toBe(400);
    expect(typo.body.error.fields).toEqual({ roleid: ["is not a known field"] });
  });

  it("needs exports:read (a viewer is refused), and audit events also audit:read (a manager is refused)", async () => {
    const viewer = await exportOf(`/v1/exports/members?organisation_id=${tenant.id}`, tenant.people.viewer.token);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe("permission_denied");
    const manager = tenant.people.manager.token;
    expect((await exportOf(`/v1/exports/members?organisation_id=${tenant.id}`, manager)).status).toBe(200);
    const audit = await exportOf(`/v1/exports/audit-events?organisation_id=${tenant.id}`, manager);
    expect(audit.status).toBe(403);
    expect(audit.body.error.code).toBe("permission_denied");
  });

  it("needs the export scope: a token restricted to read is refused", async () => {
    const token = await tenant.tokenFor("owner", ["read"]);
    const reply = await exportOf(`/v1/exports/members?organisation_id=${tenant.id}`, token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("permission_denied");
  });

  it("on free, every export is 403 feature_not_in_plan", async () => {
    const free = await createTenant("export-free", { plan: "free" });
    const reply = await exportOf(`/v1/exports/members?organisation_id=${free.id}`, free.people.owner.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "export", plan: "free" });
  });

  it("payment units are exported per opportunity, for who may read them", async () => {
    const opportunity = await insertOpportunity(tenant);
    await insertPaymentUnit(opportunity.uuid, { name: "=1+1" });
    const reply = await exportOf(`/v1/exports/payment-units?opportunity_id=${opportunity.id}`);
    expect(reply.status, reply.text).toBe(200);
    expect(csvRecords(reply).map((record) => record.name)).toEqual(["'=1+1"]);
    const foreign = await exportOf(
      `/v1/exports/payment-units?opportunity_id=${opportunity.id}`,
      other.people.owner.token,
    );
    expect(foreign.status).toBe(404);
  });
});

describe("the audit trail", () => {
  it("an export the client abandons mid-file is recorded as incomplete, with the rows written so far", async () => {
    const busy = await createTenant("export-abandoned");
    await withDb((db) =>
      db.insert(auditEvents).values(
        Array.from({ length: 3 * EXPORT_BATCH }, (_, i) => ({
          organisationId: busy.uuid,
          actorType: "system" as const,
          action: "program.updated" as const,
          resourceType: "program",
          resourceId: busy.uuid,
          resourceName: `event ${i}`,
        })),
      ),
    );
    const request = new Request(`https://api.test.muster/v1/exports/audit-events?organisation_id=${busy.id}`, {
      headers: { authorization: `Bearer ${busy.people.owner.token}` },
    });
    const ctx = createExecutionContext();
    const response = await gateway.fetch!(request as never, testEnv as never, ctx);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    const recorded = (await auditTrail(busy.uuid)).filter((event) => event.action === "export.created");
    expect(recorded).toHaveLength(1);
    const changes = recorded[0]!.changes as Record<string, { new: unknown }>;
    expect(changes.complete?.new).toBe(false);
    expect(changes.rows?.new).toBeLessThan(3 * EXPORT_BATCH);
  });

  it("records each export with resource, format, filters and the rows written", async () => {
    const reply = await exportOf(`/v1/exports/invitations?organisation_id=${tenant.id}&format=ndjson&status=pending`);
    expect(reply.status).toBe(200);
    const exportId = reply.headers.get("x-export-id");
    expect(exportId).toMatch(/^exp_/);
    const events = (await auditTrail(tenant.uuid)).filter((event) => event.action === "export.created");
    const event = events.at(-1)!;
    expect(event.resourceType).toBe("export");
    expect(event.changes).toMatchObject({
      resource: { old: null, new: "invitations" },
      format: { old: null, new: "ndjson" },
      filters: { old: null, new: { status: "pending" } },
      rows: { old: null, new: 0 },
      complete: { old: null, new: true },
    });
  });
});
