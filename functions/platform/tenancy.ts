import { and, eq, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Context } from "hono";
import {
  credentialIsLive,
  memberships,
  organisations,
  roles,
  serviceAccountCredentials,
  serviceAccounts,
  users,
} from "../../schema";
import { type Actor, actorOf } from "./actor";
import type { Principal } from "./auth";
import { configOf } from "./config";
import type { Database } from "./db";
import { ApiError, notFound } from "./errors";
import { requireAllowedAddress } from "./ip-allowlist";
import { type Caller, type Permission, requirePermission } from "./permissions";
import { effectivePlan, type Plan, requireFeature } from "./plans";
import { limitOrganisationRequest } from "./rate-limit";
import { type AppEnv, clientAddress, principalOf, type RequestMeta, requestMeta } from "./request";

/** What a domain function receives: the database, who is calling, and in which organisation. */
export type { RequestMeta };

export interface OrgContext {
  db: Database;
  principal: Principal;
  caller: Caller;
  /** The caller as the audit trail records them. */
  actor: Actor;
  organisationId: string;
  meta: RequestMeta;
  /** The organisation's plan with its overrides, as loaded with the caller (quotas re-read it under a lock). */
  plan: Plan;
  /** Where a refusal by the plan sends people. */
  upgradeUrl: string;
  /** `organisation_id = <the caller's organisation>` for any organisation-scoped table. */
  scope(column: PgColumn): SQL;
}

/** What the caller's organisation decides about every request: its plan and its IP allowlist. */
const organisationColumns = () => ({
  plan: sql<Caller["plan"]>`${organisations.plan}`.as("caller_plan"),
  planOverrides: sql<Caller["planOverrides"]>`${organisations.planOverrides}`.as("caller_plan_overrides"),
  allowedIps: sql<string[]>`${organisations.allowedIps}`.as("caller_allowed_ips"),
});

/**
 * The caller's role in every organisation they belong to, as a subquery. It is joined to the rows a request
 * touches, so a row of another organisation simply does not come back (404, never 403).
 */
export function callerStanding(db: Database, principal: Principal) {
  if (principal.kind === "user") {
    return db
      .select({
        organisationId: sql<string>`${memberships.organisationId}`.as("caller_organisation_id"),
        roleId: sql<string>`${roles.id}`.as("caller_role_id"),
        roleKey: sql<string | null>`${roles.key}`.as("caller_role_key"),
        permissions: sql<string[]>`${roles.permissions}`.as("caller_permissions"),
        globalAccess: sql<boolean>`${roles.globalAccess}`.as("caller_global_access"),
        userId: sql<string | null>`${users.id}`.as("caller_user_id"),
        membershipId: sql<string | null>`${memberships.id}`.as("caller_membership_id"),
        serviceAccountId: sql<string | null>`null::uuid`.as("caller_service_account_id"),
        name: sql<string | null>`${users.name}`.as("caller_name"),
        email: sql<string | null>`${users.email}`.as("caller_email"),
        ...organisationColumns(),
      })
      .from(memberships)
      .innerJoin(
        users,
        and(eq(users.id, memberships.userId), eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)),
      )
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .as("caller");
  }
  return (
    db
      .select({
        organisationId: sql<string>`${serviceAccounts.organisationId}`.as("caller_organisation_id"),
        roleId: sql<string>`${roles.id}`.as("caller_role_id"),
        roleKey: sql<string | null>`${roles.key}`.as("caller_role_key"),
        permissions: sql<string[]>`${roles.permissions}`.as("caller_permissions"),
        globalAccess: sql<boolean>`${roles.globalAccess}`.as("caller_global_access"),
        userId: sql<string | null>`null::uuid`.as("caller_user_id"),
        membershipId: sql<string | null>`null::uuid`.as("caller_membership_id"),
        serviceAccountId: sql<string | null>`${serviceAccounts.id}`.as("caller_service_account_id"),
        name: sql<string | null>`${serviceAccounts.name}`.as("caller_name"),
        email: sql<string | null>`null::text`.as("caller_email"),
        ...organisationColumns(),
      })
      .from(serviceAccounts)
      // A revoked or expired credential stops working at once, even if its token has not expired.
      .innerJoin(
        serviceAccountCredentials,
        and(
          eq(serviceAccountCredentials.id, principal.credentialId),
          eq(serviceAccountCredentials.serviceAccountId, serviceAccounts.id),
          credentialIsLive,
        ),
      )
      .innerJoin(roles, eq(roles.id, serviceAccounts.roleId))
      .innerJoin(organisations, eq(organisations.id, serviceAccounts.organisationId))
      .where(
        and(
          eq(serviceAccounts.id, principal.serviceAccountId),
          eq(serviceAccounts.organisationId, principal.organisationId),
        ),
      )
      .as("caller")
  );
}

export type CallerStanding = ReturnType<typeof callerStanding>;

export function callerColumns(standing: CallerStanding) {
  return {
    organisationId: standing.organisationId,
    roleId: standing.roleId,
    roleKey: standing.roleKey,
    permissions: standing.permissions,
    globalAccess: standing.globalAccess,
    userId: standing.userId,
    membershipId: standing.membershipId,
    serviceAccountId: standing.serviceAccountId,
    name: standing.name,
    email: standing.email,
    plan: standing.plan,
    planOverrides: standing.planOverrides,
    allowedIps: standing.allowedIps,
  };
}

type OrgScopedTable = PgTable & { id: PgColumn };

export interface LoadOptions<Row> {
  /** The column holding the organisation id (default `organisation_id`; `id` for organisations). */
  organisationColumn?: PgColumn;
  /** Lets the caller through without the route's permission (a member leaving on their own). */
  exempt?: (row: Row, caller: Caller) => boolean;
  /** The noun in the 404 message. */
  what?: string;
}

/** The one way a handler reaches organisation data. */
export class Tenancy {
  constructor(private readonly c: Context<AppEnv>) {}

  /**
   * For a domain loader that reaches a row through more than one organisation (a managed opportunity: the
   * delivering one and the program's): the caller's standing subquery to join, and its columns to select.
   */
  standing(): { standing: CallerStanding; columns: ReturnType<typeof callerColumns>; db: Database } {
    const db = this.c.get("db");
    const standing = callerStanding(db, principalOf(this.c));
    return { standing, columns: callerColumns(standing), db };
  }

  /**
   * The context of a caller a domain loader found through `standing()`, once the organisation admits the request
   * (allowlist, rate limit, the route's feature). The loader checks the permission on the side it chose.
   */
  contextFor(caller: Caller): Promise<OrgContext> {
    return this.admit(caller);
  }

  /** Why a domain loader found nothing: 401 for a dead service-account credential, else 404. */
  notFound(what?: string): Promise<ApiError> {
    return this.missing(what);
  }

  /**
   * For a route that serves anyone more when it knows them (optional credentials), where nothing else joined the
   * caller's standing: a service account whose credential was revoked is a 401, as on any other route. People
   * and live credentials pass; one round trip, and only for service accounts.
   */
  async assertCredentialLive(): Promise<void> {
    if (this.c.get("principal")?.kind !== "service_account") return;
    const why = await this.missing(undefined);
    if (why.code === "authentication_failed") throw why;
  }

  /** The permission the route declares (checked by a domain loader on the side it chose). */
  declaredPermission(): Permission | undefined {
    return this.c.get("rule")?.permission;
  }

  /**
   * What the caller's organisation decides before anything else: its IP allowlist (403 `ip_not_allowed`), the
   * rate limit of its plan for this credential (429), then the route's permission (403) and the feature its plan
   * must include (403 `feature_not_in_plan`).
   */
  private async admit(caller: Caller, checkPermission?: () => void): Promise<OrgContext> {
    const plan = effectivePlan(caller);
    requireAllowedAddress(clientAddress(this.c), caller.allowedIps, plan);
    await limitOrganisationRequest(this.c, caller.organisationId, plan.rate_limit);
    checkPermission?.();
    const upgradeUrl = configOf(this.c.env).UPGRADE_URL;
    const feature = this.c.get("rule")?.feature;
    if (feature) requireFeature(plan, feature, upgradeUrl);
    return {
      db: this.c.get("db"),
      principal: principalOf(this.c),
      caller,
      actor: actorOf(caller),
      organisationId: caller.organisationId,
      meta: requestMeta(this.c),
      plan,
      upgradeUrl,
      scope: (column) => eq(column, caller.organisationId),
    };
  }

  /**
   * Why nothing came back: for a service account whose credential was revoked (or whose account was deleted)
   * it is a 401, otherwise a 404. Checked only on this failure path, so the happy path stays one query.
   */
  private async missing(what: string | undefined): Promise<ApiError> {
    const principal = principalOf(this.c);
    if (principal.kind === "service_account") {
      const [credential] = await this.c
        .get("db")
        .select({ id: serviceAccountCredentials.id })
        .from(serviceAccountCredentials)
        .where(
          and(
            eq(serviceAccountCredentials.id, principal.credentialId),
            eq(serviceAccountCredentials.serviceAccountId, principal.serviceAccountId),
            credentialIsLive,
          ),
        )
        .limit(1);
      if (!credential) {
        return new ApiError(
          "authentication_failed",
          "This credential has been revoked or has expired.",
          {},
          { "WWW-Authenticate": 'Bearer error="invalid_token"' },
        );
      }
    }
    return notFound(what);
  }

  /** Enters an organisation named by the request: 404 unless the caller belongs to it, 403 without the permission. */
  async enter(organisationId: string | undefined): Promise<OrgContext> {
    const principal = principalOf(this.c);
    const target = organisationId ?? (principal.kind === "service_account" ? principal.organisationId : undefined);
    if (!target) {
      throw new ApiError("validation_error", "organisation_id: is required", {
        fields: { organisation_id: ["is required"] },
      });
    }
    const db = this.c.get("db");
    const standing = callerStanding(db, principal);
    const [caller] = await db
      .select(callerColumns(standing))
      .from(standing)
      .where(eq(standing.organisationId, target))
      .limit(1);
    if (!caller) throw await this.missing("organisation");
    return this.admit(caller, () => requirePermission(caller, this.c.get("rule")?.permission));
  }

  /** Loads one row by id together with the caller's standing in its organisation: one round trip. */
  async load<T extends OrgScopedTable>(
    table: T,
    id: string,
    options: LoadOptions<T["$inferSelect"]> = {},
  ): Promise<{ row: T["$inferSelect"]; ctx: OrgContext }> {
    const principal = principalOf(this.c);
    const db = this.c.get("db");
    const standing = callerStanding(db, principal);
    const organisationColumn =
      options.organisationColumn ?? (table as unknown as { organisationId?: PgColumn }).organisationId;
    if (!organisationColumn) throw new Error("load() needs an organisation column");
    const [found] = (await db
      .select({ row: table as PgTable, caller: callerColumns(standing) } as never)
      .from(table as PgTable)
      .innerJoin(standing, eq(standing.organisationId, organisationColumn))
      .where(eq(table.id, id))
      .limit(1)) as Array<{ row: T["$inferSelect"]; caller: Caller }>;
    if (!found) throw await this.missing(options.what);
    const ctx = await this.admit(found.caller, () => {
      if (!options.exempt?.(found.row, found.caller)) requirePermission(found.caller, this.c.get("rule")?.permission);
    });
    return { row: found.row, ctx };
  }
}

export const tenancy = (c: Context<AppEnv>) => new Tenancy(c);
