import type { PlanName, PlanOverrides } from "../../schema";
import { ApiError, permissionDenied } from "./errors";
import type { Feature, Quota } from "./plans";

/** Every permission a role can hold. Reads inside an organisation need membership only. */
export const PERMISSIONS = [
  "organisations:write",
  "organisations:delete",
  "organisations:transfer",
  "members:write",
  "roles:write",
  "service_accounts:write",
  "invitations:write",
  "programs:write",
  "opportunities:write",
  "audit:read",
  "analytics:read",
  "exports:read",
  "calendar:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** OAuth scopes bound what a token may do, whatever its holder's role permits. */
export const SCOPES = ["read", "create", "export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export interface BuiltInRole {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
  globalAccess: boolean;
}

const ALL: readonly Permission[] = PERMISSIONS;

/** Held by the owner role alone; no custom role may carry them. */
export const OWNER_ONLY_PERMISSIONS: readonly Permission[] = ["organisations:delete", "organisations:transfer"];

export const BUILT_IN_ROLES = [
  {
    key: "owner",
    name: "Owner",
    description: "Full control, including deleting the organisation. Moves only by ownership transfer.",
    permissions: ALL,
    globalAccess: true,
  },
  {
    key: "admin",
    name: "Admin",
    description: "Manages members, roles, service accounts and every program.",
    permissions: ALL.filter((p) => !OWNER_ONLY_PERMISSIONS.includes(p)),
    globalAccess: true,
  },
  {
    key: "manager",
    name: "Manager",
    description: "Runs the programs they are given access to and invites people.",
    permissions: [
      "invitations:write",
      "programs:write",
      "opportunities:write",
      "analytics:read",
      "exports:read",
      "calendar:write",
    ],
    globalAccess: false,
  },
  {
    key: "member",
    name: "Member",
    description: "Works on the programs they are given access to.",
    permissions: ["calendar:write"],
    globalAccess: false,
  },
  {
    key: "viewer",
    name: "Viewer",
    description: "Reads what they are given access to.",
    permissions: [],
    globalAccess: false,
  },
] as const satisfies readonly BuiltInRole[];

export type BuiltInRoleKey = (typeof BUILT_IN_ROLES)[number]["key"];
export const OWNER_ROLE_KEY = "owner" satisfies BuiltInRoleKey;
export const ADMIN_ROLE_KEY = "admin" satisfies BuiltInRoleKey;

/** What a route requires, declared in its file and enforced by `access()` and the tenant helper. */
export interface AccessRule {
  /** No credentials needed. */
  public?: boolean;
  /**
   * On a public route: a bearer token may be sent and is then verified (a bad one is still a 401), so the
   * handler can serve the caller more than it serves anyone (the opportunities catalog). Answers to a caller
   * who sent one are `Cache-Control: no-store`, like every authenticated answer; all carry `Vary: Authorization`.
   */
  optionalCredentials?: boolean;
  scope?: Scope;
  permission?: Permission;
  /** The route works outside any organisation (no tenant, so no 404 across organisations). */
  untenanted?: boolean;
  /** The route takes a secret code (an invitation's): it also counts against the small `codes` rate limit. */
  takesCode?: boolean;
  /**
   * Only platform administrators (PLATFORM_ADMINS) are served; everyone else gets 403. Such a route works
   * outside any organisation, so it is untenanted.
   */
  platformAdmin?: true;
  /** The organisation's plan must include this feature, or the route is 403 `feature_not_in_plan`. */
  feature?: Feature;
  /**
   * A feature some requests of the route need (an invitation by phone needs `sms_invitations`): documented in
   * `x-access`, checked by the domain where it applies.
   */
  featureWhen?: { feature: Feature; when: string };
  /** The quotas the route's inserts count against (checked in their transaction by the domain): documentation. */
  quotas?: Quota[];
}

/** Whether the route works inside an organisation the request names (404 across organisations). */
export const isTenanted = (rule: AccessRule) => !rule.public && !rule.untenanted && !rule.platformAdmin;

/** The caller's standing in one organisation, read from the database on every request. */
export interface Caller {
  organisationId: string;
  roleId: string;
  roleKey: string | null;
  permissions: readonly string[];
  globalAccess: boolean;
  /** Set for people. */
  userId: string | null;
  membershipId: string | null;
  /** Set for service accounts. */
  serviceAccountId: string | null;
  name: string | null;
  email: string | null;
  /** The organisation's plan, overrides and IP allowlist, loaded with the standing. */
  plan: PlanName;
  planOverrides: PlanOverrides;
  allowedIps: string[];
}

export function hasPermission(caller: Caller, permission: Permission): boolean {
  return caller.permissions.includes(permission);
}

export function requirePermission(caller: Caller, permission: Permission | undefined): void {
  if (permission && !hasPermission(caller, permission)) {
    throw permissionDenied(`Your role does not have the "${permission}" permission.`);
  }
}

export function requireScope(scopes: ReadonlySet<Scope>, scope: Scope | undefined): void {
  if (scope && !scopes.has(scope)) {
    throw new ApiError("permission_denied", `This token lacks the "${scope}" scope.`, { required_scope: scope });
  }
}

export function parseScopes(value: unknown): Set<Scope> {
  const words = typeof value === "string" ? value.split(/\s+/) : Array.isArray(value) ? value.map(String) : [];
  return new Set(words.filter((word): word is Scope => (SCOPES as readonly string[]).includes(word)));
}
