import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { type Role, roles, type ServiceAccount, type ServiceAccountCredential, serviceAccounts } from "../../schema";
import type { Queryable } from "../platform/db";
import { notFound, validationError } from "../platform/errors";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { assertMayGrantPermissions, assertServiceAccountMayHold } from "../platform/parity";
import { type Caller, SCOPES } from "../platform/permissions";
import { ACCESS_LIST_EXAMPLE, type AccessList, accessListFields, presentAccessPrograms } from "../programs/grants";
import { presentRoleSummary, RoleSummarySchema } from "../roles/schemas";

export const ServiceAccountSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.service_account),
    object: z.literal("service_account"),
    organisation_id: typeIdOut(ID_PREFIX.organisation),
    name: z.string().max(100),
    description: z.string().max(500),
    role: RoleSummarySchema,
    created_at: timestampOut(),
    updated_at: timestampOut(),
  })
  .openapi("ServiceAccount");

export const ServiceAccountIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.service_account).openapi({ param: { name: "id", in: "path" } }),
});

export interface ServiceAccountRow {
  account: ServiceAccount;
  role: Role;
}

export function presentServiceAccount({ account, role }: ServiceAccountRow) {
  return {
    id: toTypeId(ID_PREFIX.service_account, account.id),
    object: "service_account" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, account.organisationId),
    name: account.name,
    description: account.description,
    role: presentRoleSummary(role),
    created_at: account.createdAt.toISOString(),
    updated_at: account.updatedAt.toISOString(),
  };
}

export function selectServiceAccounts(db: Queryable) {
  return db
    .select({ account: serviceAccounts, role: roles })
    .from(serviceAccounts)
    .innerJoin(roles, eq(roles.id, serviceAccounts.roleId))
    .$dynamic();
}

export async function serviceAccountById(db: Queryable, id: string, options: { lock?: boolean } = {}) {
  const query = selectServiceAccounts(db).where(eq(serviceAccounts.id, id)).limit(1);
  const [row] = options.lock ? await query.for("update", { of: serviceAccounts }) : await query;
  if (!row) throw notFound("service account");
  return row;
}

export const ServiceAccountAccessListSchema = z
  .object({
    object: z.literal("access_list"),
    service_account_id: typeIdOut(ID_PREFIX.service_account),
    ...accessListFields,
  })
  .openapi("ServiceAccountAccessList", {
    example: { object: "access_list", service_account_id: "sa_01h455vb4pex5vsknk084sn02q", ...ACCESS_LIST_EXAMPLE },
  });

export function presentServiceAccountAccess(serviceAccountId: string, organisationId: string, list: AccessList) {
  return {
    object: "access_list" as const,
    service_account_id: toTypeId(ID_PREFIX.service_account, serviceAccountId),
    organisation_id: toTypeId(ID_PREFIX.organisation, organisationId),
    global_access: list.globalAccess,
    programs: presentAccessPrograms(list),
  };
}

export const ScopeSchema = z.enum(SCOPES).openapi("Scope");

export const CredentialSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.credential),
    object: z.literal("service_account_credential"),
    service_account_id: typeIdOut(ID_PREFIX.service_account),
    name: z.string().max(100),
    client_id: typeIdOut(ID_PREFIX.credential),
    secret_hint: z.string().max(8).openapi({ description: "The last characters of the secret." }),
    scopes: z.array(ScopeSchema).max(SCOPES.length),
    expires_at: timestampOut().nullable(),
    last_used_at: timestampOut().nullable(),
    created_at: timestampOut(),
  })
  .openapi("ServiceAccountCredential");

export function presentCredential(credential: ServiceAccountCredential) {
  const id = toTypeId(ID_PREFIX.credential, credential.id);
  return {
    id,
    object: "service_account_credential" as const,
    service_account_id: toTypeId(ID_PREFIX.service_account, credential.serviceAccountId),
    name: credential.name,
    client_id: id,
    secret_hint: credential.secretHint,
    scopes: credential.scopes as (typeof SCOPES)[number][],
    expires_at: credential.expiresAt?.toISOString() ?? null,
    last_used_at: credential.lastUsedAt?.toISOString() ?? null,
    created_at: credential.createdAt.toISOString(),
  };
}

/** The role a service account is to hold: of the same organisation, never global access, nothing the caller lacks. */
export async function assignableRole(db: Queryable, caller: Caller, roleId: string): Promise<Role> {
  const [role] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.organisationId, caller.organisationId)))
    .limit(1)
    // Call it inside the write's transaction: the share lock keeps the role from gaining global access meanwhile.
    .for("share");
  if (!role) throw validationError({ role_id: ["is not a role of this organisation"] });
  assertServiceAccountMayHold(role);
  assertMayGrantPermissions(caller, role.permissions);
  return role;
}
