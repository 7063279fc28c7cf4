import { and, asc, count, eq, type SQL } from "drizzle-orm";
import { type CalendarFeed, type CalendarFeedScope, calendarFeeds, opportunities, programs } from "../../schema";
import { opportunityVisibleTo } from "../opportunities/reach";
import { recordChange } from "../platform/audit";
import type { Principal } from "../platform/auth";
import type { Database } from "../platform/db";
import { permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, parseTypeId } from "../platform/ids";
import { storePrincipal } from "../platform/on-behalf";
import { ADMIN_ROLE_KEY, OWNER_ROLE_KEY } from "../platform/permissions";
import { generateSecret, hashSecret } from "../platform/secrets";
import type { OrgContext } from "../platform/tenancy";
import { programGranted } from "../programs/reach";
import type { FeedContents } from "./ics";
import { presentCalendarFeed } from "./schemas";

/** What one feed shows at most: the earliest-starting programs and opportunities past these are left out. */
export const MAX_FEED_PROGRAMS = 500;
export const MAX_FEED_OPPORTUNITIES = 1000;

/** The organisation's own programs the caller may see (their access list), or the one of a program feed. */
const programsSeenBy = (ctx: OrgContext, programId?: string): SQL =>
  and(
    ctx.scope(programs.organisationId),
    programGranted(ctx.caller, programs.id),
    programId ? eq(programs.id, programId) : undefined,
  ) as SQL;

/** What a feed shows, as its maker stands in `ctx` now. */
export async function feedContents(ctx: OrgContext, feed: CalendarFeed): Promise<FeedContents> {
  const shownPrograms =
    feed.scope === "opportunity"
      ? []
      : await ctx.db
          .select()
          .from(programs)
          .where(programsSeenBy(ctx, feed.programId ?? undefined))
          .orderBy(asc(programs.startDate), asc(programs.id))
          .limit(MAX_FEED_PROGRAMS);
  const narrowed =
    feed.scope === "program"
      ? eq(opportunities.programId, feed.programId as string)
      : feed.scope === "opportunity"
        ? eq(opportunities.id, feed.opportunityId as string)
        : undefined;
  const shownOpportunities = await ctx.db
    .select()
    .from(opportunities)
    .where(and(opportunityVisibleTo(ctx), narrowed))
    .orderBy(asc(opportunities.startDate), asc(opportunities.id))
    .limit(MAX_FEED_OPPORTUNITIES);
  return { programs: shownPrograms, opportunities: shownOpportunities };
}

/** The program or opportunity a scoped feed shows: one the caller may see now, else a 400 naming `scope_id`. */
async function scopeTarget(ctx: OrgContext, scope: CalendarFeedScope, scopeId: string | undefined) {
  if (scope === "organisation") {
    if (scopeId !== undefined) throw validationError({ scope_id: ["is not taken by an organisation feed"] });
    return { programId: null, opportunityId: null };
  }
  const prefix = scope === "program" ? ID_PREFIX.program : ID_PREFIX.opportunity;
  const id = scopeId === undefined ? null : parseTypeId(prefix, scopeId);
  if (!id) throw validationError({ scope_id: [`must be the id of a ${scope} (${prefix}_…)`] });
  const [found] =
    scope === "program"
      ? await ctx.db.select({ id: programs.id }).from(programs).where(programsSeenBy(ctx, id)).limit(1)
      : await ctx.db
          .select({ id: opportunities.id })
          .from(opportunities)
          .where(and(opportunityVisibleTo(ctx), eq(opportunities.id, id)))
          .limit(1);
  if (!found) throw validationError({ scope_id: [`is not a ${scope} of the organisation that you may see`] });
  return scope === "program" ? { programId: id, opportunityId: null } : { programId: null, opportunityId: id };
}

/** Makes a feed of the caller's: its token is returned once, and only its digest is kept. */
export async function createCalendarFeed(
  ctx: OrgContext,
  principal: Principal,
  input: { name: string; scope: CalendarFeedScope; scope_id?: string | undefined },
): Promise<{ feed: CalendarFeed; token: string }> {
  const target = await scopeTarget(ctx, input.scope, input.scope_id);
  const token = generateSecret();
  const feed = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(calendarFeeds)
      .values({
        organisationId: ctx.organisationId,
        userId: ctx.caller.userId,
        serviceAccountId: ctx.caller.serviceAccountId,
        principal: storePrincipal(principal),
        name: input.name,
        scope: input.scope,
        ...target,
        tokenHash: await hashSecret(token),
      })
      .returning();
    if (!row) throw new Error("calendar feed insert returned nothing");
    await recordChange(tx, ctx, {
      action: "calendar_feed.created",
      resource: { type: "calendar_feed", id: row.id, name: row.name },
      before: null,
      after: presentCalendarFeed(row),
    });
    return row;
  });
  return { feed, token };
}

/** Revokes a feed: its URL answers 404 from the next fetch. Its maker, the owner or an admin may. */
export async function deleteCalendarFeed(ctx: OrgContext, feed: CalendarFeed): Promise<void> {
  const maker = ctx.caller.userId
    ? feed.userId === ctx.caller.userId
    : feed.serviceAccountId === ctx.caller.serviceAccountId;
  const manager = ctx.caller.roleKey === OWNER_ROLE_KEY || ctx.caller.roleKey === ADMIN_ROLE_KEY;
  if (!maker && !manager) throw permissionDenied("Only the feed's maker, the owner or an admin deletes it.");
  await ctx.db.transaction(async (tx) => {
    await tx.delete(calendarFeeds).where(and(ctx.scope(calendarFeeds.organisationId), eq(calendarFeeds.id, feed.id)));
    await recordChange(tx, ctx, {
      action: "calendar_feed.deleted",
      resource: { type: "calendar_feed", id: feed.id, name: feed.name },
      before: presentCalendarFeed(feed),
      after: null,
    });
  });
}

/** The feed a URL's token opens, or null. */
export async function feedOfToken(db: Database, token: string): Promise<CalendarFeed | null> {
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(eq(calendarFeeds.tokenHash, await hashSecret(token)))
    .limit(1);
  return feed ?? null;
}

export async function countFeeds(ctx: OrgContext): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(calendarFeeds).where(ctx.scope(calendarFeeds.organisationId));
  return row?.n ?? 0;
}
