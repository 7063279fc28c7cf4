// What the access matrix holds each operation to, and how an operation's x-access declaration reads beside it.

import { ACCESS_LIST_EXPECTED } from "./fixtures/access-lists";
import { CALENDAR_EXPECTED } from "./fixtures/calendar";
import { EXPORT_EXPECTED } from "./fixtures/exports";
import { MATCHING_EXPECTED } from "./fixtures/matching";
import { OPPORTUNITY_EXPECTED } from "./fixtures/opportunities";
import { PLAN_EXPECTED } from "./fixtures/plans";
import { PLATFORM_EXPECTED } from "./fixtures/platform";
import { PROGRAM_EXPECTED } from "./fixtures/programs";
import { SKILL_EXPECTED } from "./fixtures/skills";
import { UNIT_EXPECTED } from "./fixtures/units";
import { USER_EXPECTED } from "./fixtures/users";
import { WORKER_EXPECTED } from "./fixtures/workers";

export interface Access {
  public: boolean;
  /** A public route that also verifies a bearer token when one is sent (and serves its holder more). */
  optional_credentials?: boolean;
  scope: string | null;
  permission: string | null;
  platform_admin: boolean;
  tenanted: boolean;
  /** The plan must include this feature (403 feature_not_in_plan otherwise). */
  feature?: string | null;
}

/**
 * What each operation must require, written down independently of the code (API.md), so a route that loses
 * its permission or scope fails here rather than silently shrinking its own matrix.
 * Format: "public", "public optional-credentials" (a token is verified when sent), or
 * "<scope|-> <permission|platform_admin|-> <tenanted|untenanted>[ feature:<name>]".
 */
const CORE_EXPECTED: Record<string, string> = {
  getApiRoot: "public",
  getHealth: "public",
  getOpenApiDocument: "public",
  getDocs: "public",
  getDocsScript: "public",
  getErrorReference: "public",
  getInvitationPage: "public",
  getInvitationPageScript: "public",
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
  createRole: "create roles:write tenanted feature:custom_roles",
  getRole: "- - tenanted",
  updateRole: "create roles:write tenanted feature:custom_roles",
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

export const EXPECTED_ACCESS: Record<string, string> = {
  ...CORE_EXPECTED,
  ...PLATFORM_EXPECTED,
  ...PROGRAM_EXPECTED,
  ...OPPORTUNITY_EXPECTED,
  ...UNIT_EXPECTED,
  ...WORKER_EXPECTED,
  ...USER_EXPECTED,
  ...MATCHING_EXPECTED,
  ...EXPORT_EXPECTED,
  ...CALENDAR_EXPECTED,
  ...ACCESS_LIST_EXPECTED,
  ...SKILL_EXPECTED,
  ...PLAN_EXPECTED,
};

export function describeAccess(access: Access): string {
  if (access.public) return access.optional_credentials ? "public optional-credentials" : "public";
  const who = [access.permission, access.platform_admin ? "platform_admin" : null].filter(Boolean).join("+") || "-";
  const feature = access.feature ? ` feature:${access.feature}` : "";
  return `${access.scope ?? "-"} ${who} ${access.tenanted ? "tenanted" : "untenanted"}${feature}`;
}
