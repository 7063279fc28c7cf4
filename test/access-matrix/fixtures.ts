// The access matrix's fixtures: for each operation (by operationId), how to arrange a request that the right
// caller is served, what it answers then, and the audit event it writes.

import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { addPerson, call, createTenant, signWebhook, type Tenant, uniqueSuffix } from "../harness";
import type { Fixture } from "./fixture";
import { ACCESS_LIST_FIXTURES } from "./fixtures/access-lists";
import { CALENDAR_FIXTURES } from "./fixtures/calendar";
import { EXPORT_FIXTURES } from "./fixtures/exports";
import { MATCHING_FIXTURES } from "./fixtures/matching";
import { OPPORTUNITY_FIXTURES } from "./fixtures/opportunities";
import { PLAN_FIXTURES } from "./fixtures/plans";
import { PLATFORM_FIXTURES } from "./fixtures/platform";
import { PROGRAM_FIXTURES } from "./fixtures/programs";
import { SKILL_FIXTURES } from "./fixtures/skills";
import { UNIT_FIXTURES } from "./fixtures/units";
import { USER_FIXTURES } from "./fixtures/users";
import { WORKER_FIXTURES } from "./fixtures/workers";

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

/** The fixtures of the routes that were here first; each later area keeps its own in `fixtures/`. */
const CORE_FIXTURES: Record<string, Fixture> = {
  getApiRoot: { prepare: async () => ({ path: "/" }), success: 200 },
  getHealth: { prepare: async () => ({ path: "/healthz" }), success: 200 },
  getOpenApiDocument: { prepare: async () => ({ path: "/openapi.json" }), success: 200 },
  getDocs: { prepare: async () => ({ path: "/docs" }), success: 200 },
  getDocsScript: { prepare: async () => ({ path: "/docs/reference.js" }), success: 200 },
  getInvitationPage: { prepare: async () => ({ path: "/invite" }), success: 200 },
  getInvitationPageScript: { prepare: async () => ({ path: "/invite.js" }), success: 200 },
  getErrorReference: { prepare: async () => ({ path: "/docs/errors" }), success: 200 },
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

export const FIXTURES: Record<string, Fixture> = {
  ...CORE_FIXTURES,
  ...PLATFORM_FIXTURES,
  ...PROGRAM_FIXTURES,
  ...OPPORTUNITY_FIXTURES,
  ...UNIT_FIXTURES,
  ...WORKER_FIXTURES,
  ...USER_FIXTURES,
  ...MATCHING_FIXTURES,
  ...EXPORT_FIXTURES,
  ...CALENDAR_FIXTURES,
  ...ACCESS_LIST_FIXTURES,
  ...SKILL_FIXTURES,
  ...PLAN_FIXTURES,
};
