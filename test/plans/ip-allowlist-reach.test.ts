// The allowlist on routes that do not name the organisation: an opportunity read by its id with a token, and an
// export's download link (its own authorisation, followed by whoever holds it).
import { describe, expect, it } from "vitest";
import { runExportJob } from "../../functions/exports/jobs";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { HELD_EXPORT_QUEUE } from "../access-matrix/fixtures/exports";
import { call, createTenant, insertOpportunity, testEnv, withDb } from "../harness";
import { allow, from, INSIDE, OUTSIDE } from "./ip-allowlist-helpers";

describe("reached by id or by link", () => {
  it("GET /v1/opportunities/{id} with a member's token: 200 from inside, 403 ip_not_allowed from outside", async () => {
    const tenant = await createTenant("allow-opportunity");
    const draft = await insertOpportunity(tenant, { status: "draft" });
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const read = (headers: Record<string, string>) =>
      call("GET", `/v1/opportunities/${draft.id}`, { token: tenant.people.owner.token, headers });
    const inside = await read(from(INSIDE));
    expect(inside.status, inside.text).toBe(200);
    expect(inside.body.status).toBe("draft");
    const outside = await read(from(OUTSIDE));
    expect(outside.status, outside.text).toBe(403);
    expect(outside.body.error.code).toBe("ip_not_allowed");
  });

  it("an export's download link followed from outside is 403 ip_not_allowed; from inside it is the file", async () => {
    const tenant = await createTenant("allow-download");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const queued = await call("POST", "/v1/exports", {
      token: tenant.people.owner.token,
      headers: from(INSIDE),
      body: { organisation_id: tenant.id, resource: "members", format: "csv" },
      env: HELD_EXPORT_QUEUE as never,
    });
    expect(queued.status, queued.text).toBe(202);
    await withDb((db) => runExportJob(testEnv as never, db, parseTypeId(ID_PREFIX.export, queued.body.id) as string));
    const job = await call("GET", `/v1/exports/${queued.body.id}`, {
      token: tenant.people.owner.token,
      headers: from(INSIDE),
    });
    expect(job.body.status, job.text).toBe("ready");
    const link = new URL(job.body.url);
    const outside = await call("GET", link.pathname + link.search, { headers: from(OUTSIDE) });
    expect(outside.status, outside.text).toBe(403);
    expect(outside.body.error.code).toBe("ip_not_allowed");
    const inside = await call("GET", link.pathname + link.search, { headers: from(INSIDE) });
    expect(inside.status, inside.text).toBe(200);
    expect(inside.text).toContain(tenant.people.owner.email);
  });
});
