// The access matrix, generated from the OpenAPI document: every operation is tried anonymously, from another
// organisation, by a role without its permission, by an owner and a service account on platform-admin routes,
// with a token without its scope, by the right caller on a plan without the route's feature (free), and by the
// right caller (a platform administrator on those routes; a feature-gated route on pro).
// A new route fails this file until it has a fixture (fixtures.ts), so no route goes unchecked.
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../functions/platform/permissions";
import { auditEvents, organisations, type PlanName } from "../../schema";
import {
  addPerson,
  auditTrail,
  call,
  createTenant,
  personToken,
  platformAdminToken,
  SUITE_PLAN,
  snapshot,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "../harness";
import { type Access, describeAccess, EXPECTED_ACCESS } from "./expected-access";
import { FIXTURES } from "./fixtures";

interface Operation {
  method: string;
  path: string;
  operationId: string;
  access: Access;
}

const documentReply = await call("GET", "/openapi.json");
const operations: Operation[] = Object.entries(
  documentReply.body.paths as Record<string, Record<string, { operationId: string; "x-access": Access }>>,
).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    access: operation["x-access"],
  })),
);

let tenant: Tenant;
let outsider: Tenant;

/** The plan of the tenant under test, set directly, updated_at left alone (the platform route is tested apart). */
const setPlan = (target: Tenant, plan: PlanName) =>
  withDb((db) =>
    db
      .update(organisations)
      .set({ plan, updatedAt: sql`${organisations.updatedAt}` })
      .where(eq(organisations.id, target.uuid)),
  );

beforeAll(async () => {
  [tenant, outsider] = await Promise.all([createTenant("matrix"), createTenant("outsider")]);
});

describe("access matrix", () => {
  it("every operation in the document has a fixture and an x-access declaration", () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const operation of operations) {
      expect(FIXTURES[operation.operationId], `fixture for ${operation.operationId}`).toBeDefined();
      expect(operation.access, `x-access on ${operation.operationId}`).toBeDefined();
      expect(describeAccess(operation.access), `access of ${operation.operationId}`).toBe(
        EXPECTED_ACCESS[operation.operationId],
      );
    }
  });

  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s: refuses who it must, changes nothing when it refuses, and serves the right caller",
    async (_name, operation) => {
      const fixture = FIXTURES[operation.operationId]!;
      const prepared = await fixture.prepare(tenant);
      const target = prepared.tenant ?? tenant;
      const send = (token: string | undefined) =>
        call(operation.method, prepared.path, {
          token,
          ...(prepared.body !== undefined ? { body: prepared.body } : {}),
          ...(prepared.rawBody !== undefined ? { rawBody: prepared.rawBody } : {}),
          ...(prepared.headers ? { headers: prepared.headers } : {}),
          ...(prepared.env ? { env: prepared.env } : {}),
        });
      const before = await snapshot(target.uuid);
      const observedBefore = await prepared.observe?.();
      const refusals: string[] = [];

      if (!operation.access.public) {
        const anonymous = await send(undefined);
        expect(anonymous.status, "anonymous").toBe(401);
        expect(anonymous.body.error.code).toBe("not_authenticated");
        refusals.push("anonymous");
      }
      if (operation.access.optional_credentials) {
        // Credentials are optional here, but a token that is sent is verified: a bad one is refused, not ignored.
        const forged = await send(`${tenant.people.owner.token.slice(0, -4)}AAAA`);
        expect(forged.status, "a forged token").toBe(401);
        expect(forged.body.error.code).toBe("authentication_failed");
        refusals.push("forged token");
      }
      if (operation.access.tenanted) {
        const stranger = await send(outsider.people.owner.token);
        expect(stranger.status, `owner of another organisation: ${stranger.text}`).toBe(404);
        expect(stranger.body.error.code).toBe("not_found");
        refusals.push("other organisation");
      }
      if (operation.access.permission) {
        const viewer = await send(target.people.viewer.token);
        expect(viewer.status, `viewer without ${operation.access.permission}: ${viewer.text}`).toBe(403);
        expect(viewer.body.error.code).toBe("permission_denied");
        refusals.push("role without permission");
      }
      if (operation.access.platform_admin) {
        // The tenant's owner can do anything in it, but is no platform administrator; nor is any service account.
        const owner = await send(target.people.owner.token);
        expect(owner.status, `owner who is no platform administrator: ${owner.text}`).toBe(403);
        expect(owner.body.error.code).toBe("permission_denied");
        const account = await send(target.serviceAccount.token);
        expect(account.status, `service account: ${account.text}`).toBe(403);
        expect(account.body.error.code).toBe("permission_denied");
        refusals.push("not a platform administrator", "service account");
      }
      if (operation.access.scope) {
        const scopes = SCOPES.filter((scope) => scope !== operation.access.scope);
        const narrow = fixture.asPlatformAdmin
          ? await platformAdminToken(scopes)
          : prepared.asPerson
            ? await personToken({ email: prepared.asPerson, scopes })
            : await target.tokenFor(fixture.actor ?? "owner", scopes);
        const unscoped = await send(narrow);
        expect(unscoped.status, `token without ${operation.access.scope}: ${unscoped.text}`).toBe(403);
        expect(unscoped.body.error.code).toBe("permission_denied");
        refusals.push("token without scope");
      }
      if (operation.access.feature) {
        await setPlan(target, "free");
        const ungated = await send(target.people[fixture.actor ?? "owner"].token);
        expect(ungated.status, `${operation.access.feature} on free: ${ungated.text}`).toBe(403);
        expect(ungated.body.error).toMatchObject({
          code: "feature_not_in_plan",
          feature: operation.access.feature,
          plan: "free",
          upgrade_url: expect.stringMatching(/^https:\/\//),
        });
        expect(ungated.body.error.message).toMatch(/plan does not include/);
        refusals.push("plan without the feature");
        await setPlan(target, "pro");
      }
      if (refusals.length > 0) {
        expect(await snapshot(target.uuid), `unchanged after ${refusals.join(", ")}`).toEqual(before);
        expect(await prepared.observe?.(), `unchanged after ${refusals.join(", ")}`).toEqual(observedBefore);
      }

      const token = operation.access.public
        ? undefined
        : fixture.asPlatformAdmin
          ? await platformAdminToken()
          : prepared.asPerson
            ? await personToken({ email: prepared.asPerson })
            : target.people[fixture.actor ?? "owner"].token;
      const trailBefore = (await auditTrail(target.uuid)).length;
      const allowed = await send(token);
      const who = fixture.asPlatformAdmin ? "platform administrator" : (fixture.actor ?? "owner");
      expect(allowed.status, `${who}: ${allowed.text.slice(0, 500)}`).toBe(fixture.success);

      // Whatever organisation they landed in: the events this request wrote.
      const requestId = allowed.headers.get("x-request-id");
      expect(requestId, "the success carries its request id").toMatch(/^req_/);
      const written = await withDb((db) => db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId!)));
      const trail = await auditTrail(target.uuid);
      if (fixture.audit) {
        expect(
          written.map((event) => event.action),
          "exactly one audit event per mutation",
        ).toEqual([fixture.audit]);
        const event = written[0]!;
        expect(event.organisationId).toBe(fixture.auditedIn?.(allowed) ?? target.uuid);
        expect(Object.keys(event.changes).length, "the event carries a diff").toBeGreaterThan(0);
        expect(event.actorType).toBe(operation.path.startsWith("/v1/webhooks") ? "webhook" : "user");
      } else {
        expect(written, "a fixture without an audit action writes no audit event").toEqual([]);
      }
      const intoTarget = fixture.audit && !fixture.auditedIn ? 1 : 0;
      expect(trail.length, "nothing else in the tenant's trail").toBe(trailBefore + intoTarget);
      if (operation.access.feature) await setPlan(target, SUITE_PLAN.plan);
    },
  );

  it("a person's token reaches the organisation only while they are a member", async () => {
    const person = await addPerson(tenant, "viewer", "leaver");
    expect((await call("GET", `/v1/organisations/${tenant.id}`, { token: person.token })).status).toBe(200);
    const left = await call("DELETE", `/v1/members/${person.memberId}`, { token: person.token });
    expect(left.status).toBe(204);
    expect((await call("GET", `/v1/organisations/${tenant.id}`, { token: person.token })).status).toBe(404);
  });

  it("someone who belongs to no organisation sees an empty list and 404s", async () => {
    const token = await personToken({ email: `nobody-${uniqueSuffix()}@example.test` });
    const mine = await call("GET", "/v1/organisations", { token });
    expect(mine.body.data).toEqual([]);
    expect((await call("GET", `/v1/roles/${tenant.roleIds.owner}`, { token })).status).toBe(404);
  });
});
