// The access matrix, generated from the OpenAPI document: every operation is tried anonymously, from another
// organisation, by a role without its permission, with a token without its scope, and by the right caller.
// A new route fails this file until it has a fixture below, so no route goes unchecked.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../functions/platform/ids";
import { SCOPES } from "../functions/platform/permissions";
import { type AuditAction, auditEvents } from "../schema";
import {
  addPerson,
  auditTrail,
  type BuiltIn,
  call,
  createTenant,
  personToken,
  type Reply,
  signWebhook,
  snapshot,
  type Tenant,
  uniqueSuffix,
  withDb,
} from "./harness";

interface Access {
  public: boolean;
  scope: string | null;
  permission: string | null;
  tenanted: boolean;
}

interface Operation {
  method: string;
  path: string;
  operationId: string;
  access: Access;
}

interface Prepared {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The person who succeeds (an invitee), instead of the fixture's role holder. */
  asPerson?: string;
  /** The tenant the target lives in, when the fixture needs one of its own. */
  tenant?: Tenant;
}

interface Fixture {
  prepare(tenant: Tenant): Promise<Prepared>;
  success: number;
  /** The audit action a successful call writes; a fixture without one writes no audit event at all. */
  audit?: AuditAction;
  /** The organisation whose trail gets the event, when not the fixture's tenant (a new organisation's own). */
  auditedIn?: (reply: Reply) => string;
  actor?: BuiltIn;
}

const createRole = async (t: Tenant) => {
  const reply = await call("POST", "/v1/roles", {
    token: t.people.owner.token,
    body: { organisation_id: t.id, name: `role ${uniqueSuffix()}`, permissions: ["programs:write"] },
  });
  return reply.body.id as string;
};
const createServiceAccount = async (t: Tenant) => {
  const reply = await call("POST", "/v1/service-accounts", {
    token: t.people.owner.token,
    body: { organisation_id: t.id, name: `sa ${uniqueSuffix()}`, role_id: t.roleIds.member },
  });
  return reply.body.id as string;
};

const FIXTURES: Record<string, Fixture> = {
  getHealth: { prepare: async () => ({ path: "/healthz" }), success: 200 },
  getOpenApiDocument: { prepare: async () => ({ path: "/openapi.json" }), success: 200 },
  getDocs: { prepare: async () => ({ path: "/docs" }), success: 200 },
  getDocsScript: { prepare: async () => ({ path: "/docs/reference.js" }), success: 200 },
  getJwks: { prepare: async () => ({ path: "/.well-known/jwks.json" }), success: 200 },
  createToken: {
    prepare: async (t) => ({
      path: "/v1/oauth/token",
      body: {
        grant_type: "client_credentials",
        client_id: t.serviceAccount.clientId,
        client_secret: t.serviceAccount.clientSecret,
      },
    }),
    success: 200,
  },
  listOrganisations: { prepare: async () => ({ path: "/v1/organisations" }), success: 200 },
  createOrganisation: {
    prepare: async () => ({ path: "/v1/organisations", body: { name: `org ${uniqueSuffix()}` } }),
    success: 201,
    audit: "organisation.created",
    auditedIn: (reply) => parseTypeId(ID_PREFIX.organisation, reply.body.id)!,
  },
  getOrganisation: { prepare: async (t) => ({ path: `/v1/organisations/${t.id}` }), success: 200 },
  updateOrganisation: {
    prepare: async (t) => ({ path: `/v1/organisations/${t.id}`, body: { name: `renamed ${uniqueSuffix()}` } }),
    success: 200,
    audit: "organisation.updated",
  },
  deleteOrganisation: {
    prepare: async () => {
      const tenant = await createTenant("doomed");
      return { path: `/v1/organisations/${tenant.id}`, tenant };
    },
    success: 204,
    audit: "organisation.deleted",
  },
  transferOrganisationOwnership: {
    prepare: async () => {
      const tenant = await createTenant("transfer");
      return {
        path: `/v1/organisations/${tenant.id}:transfer-ownership`,
        body: { member_id: tenant.people.admin.memberId },
        tenant,
      };
    },
    success: 200,
    audit: "organisation.ownership_transferred",
  },
  listMembers: { prepare: async (t) => ({ path: `/v1/members?organisation_id=${t.id}` }), success: 200 },
  getMember: { prepare: async (t) => ({ path: `/v1/members/${t.people.member.memberId}` }), success: 200 },
  updateMember: {
    prepare: async (t) => {
      const person = await addPerson(t, "member");
      return { path: `/v1/members/${person.memberId}`, body: { role_id: t.roleIds.viewer } };
    },
    success: 200,
    audit: "member.role_changed",
  },
  deleteMember: {
    prepare: async (t) => ({ path: `/v1/members/${(await addPerson(t, "member")).memberId}` }),
    success: 204,
    audit: "member.removed",
  },
  listRoles: { prepare: async (t) => ({ path: `/v1/roles?organisation_id=${t.id}` }), success: 200 },
  createRole: {
    prepare: async (t) => ({
      path: "/v1/roles",
      body: { organisation_id: t.id, name: `custom ${uniqueSuffix()}`, permissions: ["programs:write"] },
    }),
    success: 201,
    audit: "role.created",
  },
  getRole: { prepare: async (t) => ({ path: `/v1/roles/${t.roleIds.viewer}` }), success: 200 },
  updateRole: {
    prepare: async (t) => ({ path: `/v1/roles/${await createRole(t)}`, body: { description: "changed" } }),
    success: 200,
    audit: "role.updated",
  },
  deleteRole: {
    prepare: async (t) => ({ path: `/v1/roles/${await createRole(t)}` }),
    success: 204,
    audit: "role.deleted",
  },
  listServiceAccounts: {
    prepare: async (t) => ({ path: `/v1/service-accounts?organisation_id=${t.id}` }),
    success: 200,
  },
  createServiceAccount: {
    prepare: async (t) => ({
      path: "/v1/service-accounts",
      body: { organisation_id: t.id, name: `robot ${uniqueSuffix()}`, role_id: t.roleIds.member },
    }),
    success: 201,
    audit: "service_account.created",
  },
  getServiceAccount: { prepare: async (t) => ({ path: `/v1/service-accounts/${t.serviceAccount.id}` }), success: 200 },
  updateServiceAccount: {
    prepare: async (t) => ({
      path: `/v1/service-accounts/${await createServiceAccount(t)}`,
      body: { name: "renamed" },
    }),
    success: 200,
    audit: "service_account.updated",
  },
  deleteServiceAccount: {
    prepare: async (t) => ({ path: `/v1/service-accounts/${await createServiceAccount(t)}` }),
    success: 204,
    audit: "service_account.deleted",
  },
  listServiceAccountCredentials: {
    prepare: async (t) => ({ path: `/v1/service-accounts/${t.serviceAccount.id}/credentials` }),
    success: 200,
  },
  createServiceAccountCredential: {
    prepare: async (t) => ({
      path: `/v1/service-accounts/${t.serviceAccount.id}/credentials`,
      body: { name: "ci", scopes: ["read"] },
    }),
    success: 201,
    audit: "service_account_credential.created",
  },
  deleteServiceAccountCredential: {
    prepare: async (t) => {
      const account = await createServiceAccount(t);
      const credential = await call("POST", `/v1/service-accounts/${account}/credentials`, {
        token: t.people.owner.token,
        body: { name: "temporary", scopes: ["read"] },
      });
      return { path: `/v1/service-accounts/${account}/credentials/${credential.body.id}` };
    },
    success: 204,
    audit: "service_account_credential.revoked",
  },
  listAuditEvents: { prepare: async (t) => ({ path: `/v1/audit-events?organisation_id=${t.id}` }), success: 200 },
  listInvitations: { prepare: async (t) => ({ path: `/v1/invitations?organisation_id=${t.id}` }), success: 200 },
  createInvitation: {
    prepare: async (t) => ({
      path: "/v1/invitations",
      body: { organisation_id: t.id, email: `invitee-${uniqueSuffix()}@example.test`, role_id: t.roleIds.member },
    }),
    success: 201,
    audit: "invitation.created",
  },
  bulkCreateInvitations: {
    prepare: async (t) => ({
      path: "/v1/invitations:bulk",
      body: {
        organisation_id: t.id,
        invitations: [{ email: `bulk-${uniqueSuffix()}@example.test`, role_id: t.roleIds.viewer }],
      },
    }),
    success: 200,
    audit: "invitation.created",
  },
  getInvitation: {
    prepare: async (t) => ({ path: `/v1/invitations/${(await invite(t)).id}` }),
    success: 200,
  },
  cancelInvitation: {
    prepare: async (t) => ({ path: `/v1/invitations/${(await invite(t)).id}:cancel` }),
    success: 200,
    audit: "invitation.cancelled",
  },
  resendInvitation: {
    prepare: async (t) => ({ path: `/v1/invitations/${(await invite(t)).id}:resend` }),
    success: 200,
    audit: "invitation.resent",
  },
  lookupInvitation: {
    prepare: async (t) => ({ path: "/v1/invitations:lookup", body: { code: (await invite(t)).code } }),
    success: 200,
  },
  acceptInvitation: {
    prepare: async (t) => {
      const invitation = await invite(t);
      return { path: "/v1/invitations:accept", body: { code: invitation.code }, asPerson: invitation.email };
    },
    success: 200,
    audit: "invitation.accepted",
  },
  declineInvitation: {
    prepare: async (t) => {
      const invitation = await invite(t);
      return { path: "/v1/invitations:decline", body: { code: invitation.code }, asPerson: invitation.email };
    },
    success: 200,
    audit: "invitation.declined",
  },
  receiveInvitationEmailWebhook: {
    prepare: async (t) => {
      const body = {
        type: "invitation.create",
        data: { organisation_id: t.id, email: `hooked-${uniqueSuffix()}@example.test`, role_id: t.roleIds.member },
      };
      return { path: "/v1/webhooks/invitation-emails", body, headers: signWebhook(body) };
    },
    success: 200,
    audit: "invitation.created",
  },
};

/** A pending invitation with its code (delivery "none" hands the code back). */
async function invite(t: Tenant): Promise<{ id: string; code: string; email: string }> {
  const email = `pending-${uniqueSuffix()}@example.test`;
  const reply = await call("POST", "/v1/invitations", {
    token: t.people.owner.token,
    body: { organisation_id: t.id, email, role_id: t.roleIds.viewer, delivery: "none" },
  });
  if (reply.status !== 201) throw new Error(`invite failed: ${reply.text}`);
  return { id: reply.body.id, code: reply.body.code, email };
}

/**
 * What each operation must require, written down independently of the code (API.md), so a route that loses
 * its permission or scope fails here rather than silently shrinking its own matrix.
 * Format: "public", or "<scope|-> <permission|-> <tenanted|untenanted>".
 */
const EXPECTED_ACCESS: Record<string, string> = {
  getHealth: "public",
  getOpenApiDocument: "public",
  getDocs: "public",
  getDocsScript: "public",
  getJwks: "public",
  createToken: "public",
  listOrganisations: "- - untenanted",
  createOrganisation: "create - untenanted",
  getOrganisation: "- - tenanted",
  updateOrganisation: "create organisations:write tenanted",
  deleteOrganisation: "admin organisations:delete tenanted",
  transferOrganisationOwnership: "admin organisations:transfer tenanted",
  listMembers: "- - tenanted",
  getMember: "- - tenanted",
  updateMember: "create members:write tenanted",
  deleteMember: "create members:write tenanted",
  listRoles: "- - tenanted",
  createRole: "create roles:write tenanted",
  getRole: "- - tenanted",
  updateRole: "create roles:write tenanted",
  deleteRole: "create roles:write tenanted",
  listServiceAccounts: "- - tenanted",
  createServiceAccount: "create service_accounts:write tenanted",
  getServiceAccount: "- - tenanted",
  updateServiceAccount: "create service_accounts:write tenanted",
  deleteServiceAccount: "create service_accounts:write tenanted",
  listServiceAccountCredentials: "- service_accounts:write tenanted",
  createServiceAccountCredential: "admin service_accounts:write tenanted",
  deleteServiceAccountCredential: "admin service_accounts:write tenanted",
  listAuditEvents: "- audit:read tenanted",
  listInvitations: "- - tenanted",
  createInvitation: "create invitations:write tenanted",
  bulkCreateInvitations: "create invitations:write tenanted",
  getInvitation: "- - tenanted",
  cancelInvitation: "create invitations:write tenanted",
  resendInvitation: "create invitations:write tenanted",
  lookupInvitation: "public",
  acceptInvitation: "create - untenanted",
  declineInvitation: "create - untenanted",
  receiveInvitationEmailWebhook: "public",
};

function describeAccess(access: Access): string {
  if (access.public) return "public";
  return `${access.scope ?? "-"} ${access.permission ?? "-"} ${access.tenanted ? "tenanted" : "untenanted"}`;
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
          ...(prepared.headers ? { headers: prepared.headers } : {}),
        });
      const before = await snapshot(target.uuid);
      const refusals: string[] = [];

      if (!operation.access.public) {
        const anonymous = await send(undefined);
        expect(anonymous.status, "anonymous").toBe(401);
        expect(anonymous.body.error.code).toBe("not_authenticated");
        refusals.push("anonymous");
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
      if (operation.access.scope) {
        const scopes = SCOPES.filter((scope) => scope !== operation.access.scope);
        const narrow = prepared.asPerson
          ? await personToken({ email: prepared.asPerson, scopes })
          : await target.tokenFor(fixture.actor ?? "owner", scopes);
        const unscoped = await send(narrow);
        expect(unscoped.status, `token without ${operation.access.scope}: ${unscoped.text}`).toBe(403);
        expect(unscoped.body.error.code).toBe("permission_denied");
        refusals.push("token without scope");
      }
      if (refusals.length > 0)
        expect(await snapshot(target.uuid), `unchanged after ${refusals.join(", ")}`).toEqual(before);

      const token = operation.access.public
        ? undefined
        : prepared.asPerson
          ? await personToken({ email: prepared.asPerson })
          : target.people[fixture.actor ?? "owner"].token;
      const trailBefore = (await auditTrail(target.uuid)).length;
      const allowed = await send(token);
      expect(allowed.status, `${fixture.actor ?? "owner"}: ${allowed.text.slice(0, 500)}`).toBe(fixture.success);

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
