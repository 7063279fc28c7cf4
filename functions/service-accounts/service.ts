import { and, eq } from "drizzle-orm";
import { type ServiceAccountCredential, serviceAccountCredentials, serviceAccounts } from "../../schema";
import { recordChange } from "../platform/audit";
import { DAY_MS } from "../platform/clock";
import { conflict, notFound, permissionDenied } from "../platform/errors";
import { assertMayGrantPermissions } from "../platform/parity";
import type { Scope } from "../platform/permissions";
import { enforceQuotas } from "../platform/plans";
import { generateSecret, hashSecret } from "../platform/secrets";
import type { OrgContext } from "../platform/tenancy";
import { type AccessList, assertListWithinReach, auditedLists, reconcileGrants } from "../programs/grants";
import {
  assignableRole,
  presentCredential,
  presentServiceAccount,
  type ServiceAccountRow,
  serviceAccountById,
} from "./schemas";

const SECRET_PREFIX = "mst_secret_";

export interface NewServiceAccount {
  name: string;
  description: string;
  role_id: string;
}

const resourceOf = ({ account }: ServiceAccountRow) => ({
  type: "service_account",
  id: account.id,
  name: account.name,
});

/** An account holds a role of its organisation that has no global access. */
export async function createServiceAccount(ctx: OrgContext, input: NewServiceAccount): Promise<ServiceAccountRow> {
  return ctx.db.transaction(async (tx) => {
    const role = await assignableRole(tx, ctx.caller, input.role_id);
    await enforceQuotas(tx, ctx, { service_accounts: 1 });
    const [account] = await tx
      .insert(serviceAccounts)
      .values({ organisationId: ctx.organisationId, name: input.name, description: input.description, roleId: role.id })
      .returning();
    if (!account) throw new Error("service account insert returned nothing");
    const created = { account, role };
    await recordChange(tx, ctx, {
      action: "service_account.created",
      resource: resourceOf(created),
      before: null,
      after: presentServiceAccount(created),
    });
    return created;
  });
}

export async function updateServiceAccount(
  ctx: OrgContext,
  id: string,
  input: Partial<NewServiceAccount>,
): Promise<ServiceAccountRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await serviceAccountById(tx, id, { lock: true });
    const role = input.role_id ? await assignableRole(tx, ctx.caller, input.role_id) : before.role;
    const next = {
      name: input.name ?? before.account.name,
      description: input.description ?? before.account.description,
      roleId: role.id,
    };
    const changed = await recordChange(tx, ctx, {
      action: "service_account.updated",
      resource: { type: "service_account", id, name: next.name },
      before: presentServiceAccount(before),
      after: presentServiceAccount({ account: { ...before.account, ...next }, role }),
    });
    // A PATCH that changes nothing writes nothing (no new updated_at, no audit event).
    if (!changed) return before;
    const [account] = await tx.update(serviceAccounts).set(next).where(eq(serviceAccounts.id, id)).returning();
    if (!account) throw notFound("service account");
    return { account, role };
  });
}

/** Deleting the account revokes its credentials (they cascade). */
export async function deleteServiceAccount(ctx: OrgContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await serviceAccountById(tx, id, { lock: true });
    await tx.delete(serviceAccounts).where(eq(serviceAccounts.id, id));
    await recordChange(tx, ctx, {
      action: "service_account.deleted",
      resource: resourceOf(before),
      before: presentServiceAccount(before),
      after: null,
    });
  });
}

/**
 * Replaces a service account's access list with `programs`, whole, in one transaction (the account's row locked,
 * so concurrent replacements run one after the other). Like a member's; an identical list writes nothing.
 */
export async function replaceServiceAccountAccess(
  ctx: OrgContext,
  id: string,
  programs: readonly string[],
): Promise<AccessList> {
  return ctx.db.transaction(async (tx) => {
    const account = await serviceAccountById(tx, id, { lock: true });
    // Service accounts never hold a global-access role; should one, its list would mean nothing.
    if (account.role.globalAccess) throw conflict("This service account's role has global access.");
    const result = await reconcileGrants(tx, ctx, { kind: "service_account", id }, programs);
    await recordChange(tx, ctx, {
      action: "service_account.access_replaced",
      resource: resourceOf(account),
      ...auditedLists(result),
    });
    return result.visible;
  });
}

export interface NewCredential {
  name: string;
  scopes: Scope[];
  expires_in_days?: number;
}

/**
 * A client id and secret for the account. A credential acts as the account, so nobody issues one for powers,
 * or scopes, they do not hold themselves. The secret is returned once; only its digest is kept.
 */
export async function issueCredential(
  ctx: OrgContext,
  serviceAccountId: string,
  input: NewCredential,
): Promise<{ credential: ServiceAccountCredential; secret: string }> {
  const scopes = [...new Set(input.scopes)];
  const beyondToken = scopes.filter((scope) => !ctx.principal.scopes.has(scope));
  if (beyondToken.length > 0) {
    throw permissionDenied(`Your token cannot issue scopes it does not carry: ${beyondToken.join(", ")}.`);
  }
  const secret = generateSecret(SECRET_PREFIX);
  const credential = await ctx.db.transaction(async (tx) => {
    const { account, role } = await serviceAccountById(tx, serviceAccountId, { lock: true });
    assertMayGrantPermissions(ctx.caller, role.permissions);
    // A credential acts with the account's access list: no wider than the caller's own.
    await assertListWithinReach(tx, ctx.caller, { kind: "service_account", id: account.id });
    const [created] = await tx
      .insert(serviceAccountCredentials)
      .values({
        organisationId: account.organisationId,
        serviceAccountId: account.id,
        name: input.name,
        secretHash: await hashSecret(secret),
        secretHint: secret.slice(-4),
        scopes,
        expiresAt: input.expires_in_days ? new Date(Date.now() + input.expires_in_days * DAY_MS) : null,
      })
      .returning();
    if (!created) throw new Error("credential insert returned nothing");
    await recordChange(tx, ctx, {
      action: "service_account_credential.created",
      resource: { type: "service_account_credential", id: created.id, name: created.name },
      before: null,
      after: presentCredential(created),
    });
    return created;
  });
  return { credential, secret };
}

/** Revoking deletes the credential: its tokens stop working at once (the tenant helper joins it). */
export async function revokeCredential(ctx: OrgContext, credential: ServiceAccountCredential): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(serviceAccountCredentials)
      .where(
        and(
          eq(serviceAccountCredentials.id, credential.id),
          eq(serviceAccountCredentials.serviceAccountId, credential.serviceAccountId),
        ),
      );
    await recordChange(tx, ctx, {
      action: "service_account_credential.revoked",
      resource: { type: "service_account_credential", id: credential.id, name: credential.name },
      before: presentCredential(credential),
      after: null,
    });
  });
}
