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

export const SERVICE_ACCOUNT_EXAMPLE = {
  id: "sa_01h455vb4pex5vsknk084sn02q",
  object: "service_account",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  name: "CRM sync",
  description: "Invites volunteers from our CRM every night.",
  role: { id: "role_01h455vb4pex5vsknk084sn02q", key: "manager", name: "Manager", global_access: false },
  created_at: "2025-11-30T09:00:00.000Z",
  updated_at: "2025-11-30T09:00:00.000Z",
};

export const ServiceAccountSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.service_account).openapi({ description: "The service account's id (`sa_...`)." }),
    object: z.literal("service_account").openapi({ description: "Always `service_account`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
      description: "The organisation it acts in; its tokens imply it.",
    }),
    name: z.string().max(100).openapi({ description: "The account's display name." }),
    description: z.string().max(500).openapi({ description: "What the account is for; may be empty." }),
    role: RoleSummarySchema,
    created_at: timestampOut().openapi({ description: "When the account was created." }),
    updated_at: timestampOut().openapi({ description: "When its name, description or role last changed." }),
  })
  .openapi("ServiceAccount", {
    example: SERVICE_ACCOUNT_EXAMPLE,
  });

export const ServiceAccountIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.service_account).openapi({
    param: { name: "id", in: "path" },
    description: "The service account's id (`sa_...`); one of another organisation is a 404.",
  }),
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
    object: z.literal("access_list").openapi({ description: "Always `access_list`." }),
    service_account_id: typeIdOut(ID_PREFIX.service_account).openapi({
      description: "The service account whose list it is.",
    }),
    ...accessListFields,
    organisation_id: accessListFields.organisation_id.openapi({ description: "The service account's organisation." }),
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

export const ScopeSchema = z.enum(SCOPES).openapi("Scope", {
  description:
    "An OAuth scope, bounding what a token may do whatever its holder's role permits: `read` alone allows only " +
    "the routes that ask for no scope (reads); `create` most writes; `export` exports; `admin` issuing and " +
    "revoking credentials, transferring ownership and deleting the organisation.",
});

export const CREDENTIAL_EXAMPLE = {
  id: "cred_01h455vb4pex5vsknk084sn02q",
  object: "service_account_credential",
  service_account_id: "sa_01h455vb4pex5vsknk084sn02q",
  name: "Nightly sync",
  client_id: "cred_01h455vb4pex5vsknk084sn02q",
  secret_hint: "1nu4",
  scopes: ["read", "create"],
  expires_at: "2026-12-31T09:00:00.000Z",
  last_used_at: "2026-01-30T02:00:05.000Z",
  created_at: "2026-01-01T09:00:00.000Z",
};

export const CredentialSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.credential).openapi({ description: "The credential's id (`cred_...`)." }),
    object: z.literal("service_account_credential").openapi({ description: "Always `service_account_credential`." }),
    service_account_id: typeIdOut(ID_PREFIX.service_account).openapi({ description: "The account it acts as." }),
    name: z.string().max(100).openapi({ description: "A label telling the account's credentials apart." }),
    client_id: typeIdOut(ID_PREFIX.credential).openapi({
      description: "The `client_id` for POST /v1/oauth/token; the same value as `id`.",
    }),
    secret_hint: z.string().max(8).openapi({ description: "The last characters of the secret." }),
    scopes: z
      .array(ScopeSchema)
      .max(SCOPES.length)
      .openapi({ description: "The scopes its tokens may carry (POST /v1/oauth/token may ask for fewer)." }),
    expires_at: timestampOut().nullable().openapi({
      description: "After this the secret and the tokens it got are refused (401); null: it never expires.",
    }),
    last_used_at: timestampOut().nullable().openapi({ description: "When it last got a token; null: never used." }),
    created_at: timestampOut().openapi({ description: "When it was issued." }),
  })
  .openapi("ServiceAccountCredential", {
    example: CREDENTIAL_EXAMPLE,
  });

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
