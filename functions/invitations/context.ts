import type { Actor } from "../platform/actor";
import type { Queryable } from "../platform/db";
import type { Env } from "../platform/env";
import type { Caller } from "../platform/permissions";
import type { RequestMeta } from "../platform/request";
import type { OrgContext } from "../platform/tenancy";

/**
 * Who invites into which organisation: a member or service account of it (whose role bounds which roles they
 * may invite to), or the signed webhook, which has no role.
 */
export interface InvitationContext {
  /** The request's database, or a transaction the work joins (the webhook records its receipt in it). */
  db: Queryable;
  env: Env;
  organisationId: string;
  actor: Actor;
  /** Null for the webhook. */
  caller: Caller | null;
  meta: RequestMeta | null;
  /** Where a refusal by the plan sends people. */
  upgradeUrl: string;
}

/** The context for a member or service account inviting into the organisation they entered. */
export function callerContext(ctx: OrgContext, env: Env): InvitationContext {
  return {
    db: ctx.db,
    env,
    organisationId: ctx.organisationId,
    actor: ctx.actor,
    caller: ctx.caller,
    meta: ctx.meta,
    upgradeUrl: ctx.upgradeUrl,
  };
}

export const WEBHOOK_ACTOR_NAME = "invitation-emails webhook";
