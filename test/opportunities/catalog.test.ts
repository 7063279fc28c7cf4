import { beforeAll, describe, expect, it } from "vitest";
import type { OpportunityStatus, Visibility } from "../../schema";
import { call, createTenant, insertOpportunity, type Made, type Tenant, uniqueSuffix } from "../harness";
import { getOpportunity, idsOf } from "./helpers";

// One organisation with an opportunity in every status and visibility, all named with one word of this run,
// so the catalog (every organisation's) can be narrowed to them with `q`.
let tenant: Tenant;
let outsider: Tenant;
const word = `catalog${uniqueSuffix()}`;
const made: Record<string, Made> = {};
const STATUSES: OpportunityStatus[] = ["draft", "open", "on_hold", "closed", "filled"];
const VISIBILITIES: Visibility[] = ["public", "organisation"];

beforeAll(async () => {
  [tenant, outsider] = await Promise.all([createTenant("catalog"), createTenant("catalog-out")]);
  for (const status of STATUSES) {
    for (const visibility of VISIBILITIES) {
      made[`${status}/${visibility}`] = await insertOpportunity(tenant, {
        status,
        visibility,
        name: `${word} ${status}`,
      });
    }
  }
});

const published = () => made["open/public"]!.id;
const browse = (query: string, token?: string) => call("GET", `/v1/opportunities?q=${word}${query}`, { token });

describe("the public catalog", () => {
  it("anonymous: only open and public opportunities, cacheable for a minute", async () => {
    const reply = await browse("");
    expect(reply.status).toBe(200);
    expect(idsOf(reply)).toEqual([published()]);
    expect(reply.headers.get("cache-control")).toBe("public, max-age=60");
    expect(reply.headers.get("vary")).toMatch(/Authorization/i);
    const unfiltered = await call("GET", "/v1/opportunities?limit=100");
    expect(
      unfiltered.body.data.every(
        (o: { status: string; visibility: string }) => o.status === "open" && o.visibility === "public",
      ),
    ).toBe(true);
  });

  it("drafts (and everything not open and public) never show anonymously, not even when asked by status", async () => {
    for (const status of STATUSES) {
      const reply = await browse(`&status=${status}`);
      expect(idsOf(reply), status).toEqual(status === "open" ? [published()] : []);
    }
    expect(idsOf(await browse("&visibility=organisation"))).toEqual([]);
  });

  it("GET by id anonymously answers for the open public one only: 404 for the rest, drafts included", async () => {
    const reply = await getOpportunity(published());
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe("open");
    expect(reply.headers.get("cache-control")).toBe("public, max-age=60");
    for (const [key, { id }] of Object.entries(made)) {
      if (key === "open/public") continue;
      const hidden = await getOpportunity(id);
      expect(hidden.status, key).toBe(404);
      expect(hidden.body.error.message).toBe("No such opportunity.");
      expect(hidden.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("a token without organisation_id browses the same catalog, answered no-store", async () => {
    const reply = await browse("", tenant.people.owner.token);
    expect(idsOf(reply)).toEqual([published()]);
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });

  it("a member, with organisation_id, sees all of the organisation's opportunities; filters narrow them", async () => {
    const all = await browse(`&organisation_id=${tenant.id}&limit=100`, tenant.people.viewer.token);
    expect(all.status).toBe(200);
    expect(idsOf(all).sort()).toEqual(
      Object.values(made)
        .map((m) => m.id)
        .sort(),
    );
    expect(all.headers.get("cache-control")).toBe("no-store");
    const drafts = await browse(`&organisation_id=${tenant.id}&status=draft`, tenant.people.viewer.token);
    expect(idsOf(drafts).sort()).toEqual([made["draft/public"]!.id, made["draft/organisation"]!.id].sort());
    const internal = await browse(
      `&organisation_id=${tenant.id}&status=on_hold&visibility=organisation`,
      tenant.people.viewer.token,
    );
    expect(idsOf(internal)).toEqual([made["on_hold/organisation"]!.id]);
  });

  it("a member's token reaches any of the organisation's opportunities by id, drafts included", async () => {
    const reply = await getOpportunity(made["draft/organisation"]!.id, tenant.people.viewer.token);
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe("draft");
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });

  it("an outsider: 404 with organisation_id, the catalog without; by id only the published one", async () => {
    const token = outsider.people.owner.token;
    expect((await browse(`&organisation_id=${tenant.id}`, token)).status).toBe(404);
    expect(idsOf(await browse("", token))).toEqual([published()]);
    expect((await getOpportunity(made["draft/public"]!.id, token)).status).toBe(404);
    expect((await getOpportunity(published(), token)).status).toBe(200);
    const serviceAccount = await getOpportunity(published(), outsider.serviceAccount.token);
    expect(serviceAccount.status).toBe(200);
  });

  it("organisation_id without a token is a 401; a bad token is a 401 anywhere, never the public view", async () => {
    const anonymous = await browse(`&organisation_id=${tenant.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("not_authenticated");
    for (const authorization of ["Bearer not.a.token", "Basic Zm9vOmJhcg=="]) {
      const list = await call("GET", "/v1/opportunities", { headers: { authorization } });
      expect(list.status, authorization).toBe(401);
      expect(list.body.error.code).toBe("authentication_failed");
      const one = await call("GET", `/v1/opportunities/${published()}`, { headers: { authorization } });
      expect(one.status).toBe(401);
    }
  });

  it("a service account whose credential was revoked gets 401, not the public view", async () => {
    const revoke = await call(
      "GET",
      `/v1/service-accounts/${outsider.serviceAccount.id}/credentials?organisation_id=${outsider.id}`,
      { token: outsider.people.owner.token },
    );
    const credentialId = revoke.body.data[0].id;
    const revoked = await call(
      "DELETE",
      `/v1/service-accounts/${outsider.serviceAccount.id}/credentials/${credentialId}`,
      { token: outsider.people.owner.token },
    );
    expect(revoked.status, revoked.text).toBe(204);
    const reply = await getOpportunity(published(), outsider.serviceAccount.token);
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("authentication_failed");
    const list = await browse("", outsider.serviceAccount.token);
    expect(list.status).toBe(401);
    expect(list.body.error.code).toBe("authentication_failed");
  });

  it("an ended opportunity still open is not offered in the catalog, but stays readable by id", async () => {
    const ended = await insertOpportunity(tenant, {
      name: `${word} ended`,
      startDate: "2025-01-01",
      endDate: "2025-06-30",
    });
    const listed = await browse("");
    expect(idsOf(listed)).not.toContain(ended.id);
    const read = await call("GET", `/v1/opportunities/${ended.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: "open", has_ended: true });
    const member = await call("GET", `/v1/opportunities?organisation_id=${tenant.id}&q=${word}`, {
      token: tenant.people.viewer.token,
    });
    expect(idsOf(member), "members still see it, to close it").toContain(ended.id);
  });
});
