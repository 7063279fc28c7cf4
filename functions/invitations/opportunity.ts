import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { invitations, opportunities, opportunityWorkers, organisations, users } from "../../schema";
import { recordChanges } from "../platform/audit";
import { hasEnded } from "../platform/dates";
import type { Queryable } from "../platform/db";
import { ApiError, conflict, notFound } from "../platform/errors";
import { dispatch, writeOutboxMessages } from "../platform/outbox";
import { enforceQuotas } from "../platform/plans";
import type { InvitationContext } from "./context";
import { expireOverdue } from "./expire";
import { invitationMessage } from "./messages";
import { invitationValues, resourceOf } from "./rows";
import { newInvitationCode, presentInvitation } from "./schemas";

/** One number as the request gave it: parsed to E.164, or refused with the reason. */
export type PhoneEntry = { phone: string } | { given: string; error: string };

export type InviteStatus = "invited" | "already_invited" | "already_accepted" | "invalid";

export interface InviteResult {
  phone: string;
  status: InviteStatus;
  /** The new invitation, the pending one, or the accepted one (absent when access came another way). */
  invitationId?: string;
  error?: string;
}

export interface OpportunityInvite {
  entries: PhoneEntry[];
  customMessage?: string;
  expiresInDays: number;
}

/**
 * Invites phone numbers to an open opportunity that has not ended, by SMS: one pending invitation (no role) per
 * number that has neither access nor a pending invitation. All of it commits in one transaction with one
 * `invitation.created` event per new invitation; the messages are then queued. A number given twice (after
 * normalisation) is invited once, and each of its entries reports that one outcome. `context.organisationId` is
 * the opportunity's delivering organisation: the invitation (and its trail) lives there, whichever side invites.
 */
export async function inviteToOpportunity(
  context: InvitationContext,
  opportunityId: string,
  input: OpportunityInvite,
): Promise<InviteResult[]> {
  const phones = [...new Set(input.entries.flatMap((entry) => ("phone" in entry ? [entry.phone] : [])))];
  const codes = await Promise.all(phones.map(async (phone) => ({ phone, ...(await newInvitationCode()) })));
  const { outcomes, outboxIds } = await context.db.transaction(async (tx) => {
    // Held until commit: a status change (closing, holding) waits for this batch, or this batch sees it.
    // The organisation's row too: its quotas count after that lock (enforceQuotas takes it as locked).
    const [found] = await tx
      .select({
        opportunity: opportunities,
        organisationName: organisations.name,
        plan: organisations.plan,
        planOverrides: organisations.planOverrides,
      })
      .from(opportunities)
      .innerJoin(organisations, eq(organisations.id, opportunities.organisationId))
      .where(and(eq(opportunities.id, opportunityId), eq(opportunities.organisationId, context.organisationId)))
      .for("no key update", { of: [opportunities, organisations] });
    if (!found) throw notFound("opportunity");
    const { opportunity } = found;
    if (hasEnded(opportunity.endDate)) {
      throw new ApiError(
        "opportunity_ended",
        `The opportunity ended on ${opportunity.endDate}; nobody more is invited.`,
        {
          end_date: opportunity.endDate,
        },
      );
    }
    if (opportunity.status !== "open") {
      throw conflict(`The opportunity is ${opportunity.status}; only an open opportunity takes invitations.`, {
        status: opportunity.status,
      });
    }
    const outcomes = new Map<string, { status: InviteStatus; invitationId?: string }>();
    if (phones.length === 0) return { outcomes, outboxIds: [] };

    const ofThese = and(eq(invitations.opportunityId, opportunityId), inArray(invitations.phone, phones));
    for (const [phone, invitationId] of await accessByPhone(tx, opportunityId, phones)) {
      outcomes.set(phone, { status: "already_accepted", ...(invitationId ? { invitationId } : {}) });
    }
    const pendingOf = async () =>
      tx
        .select({
          id: invitations.id,
          phone: invitations.phone,
          overdue: sql<boolean>`${invitations.expiresAt} <= now()`,
        })
        .from(invitations)
        .where(and(ofThese, eq(invitations.status, "pending")));
    const pending = await pendingOf();
    // Pending past their expiry would block a fresh invitation: expired first (rarely any).
    if (pending.some((invitation) => invitation.overdue)) await expireOverdue(tx, ofThese);
    for (const invitation of pending) {
      if (!invitation.overdue && !outcomes.has(invitation.phone as string)) {
        outcomes.set(invitation.phone as string, { status: "already_invited", invitationId: invitation.id });
      }
    }

    const now = new Date();
    const fresh = codes.filter(({ phone }) => !outcomes.has(phone));
    await enforceQuotas(tx, context, { invitations_per_day: fresh.length }, found);
    // A concurrent batch inviting the same number wins the pending index; this one then reports it below.
    const inserted =
      fresh.length === 0
        ? []
        : await tx
            .insert(invitations)
            .values(
              fresh.map(({ phone, codeHash }) =>
                invitationValues(
                  context,
                  {
                    phone,
                    roleId: null,
                    opportunityId,
                    customMessage: input.customMessage,
                    expiresInDays: input.expiresInDays,
                  },
                  { channel: "sms", codeHash, now },
                ),
              ),
            )
            .onConflictDoNothing()
            .returning();
    for (const invitation of inserted)
      outcomes.set(invitation.phone as string, { status: "invited", invitationId: invitation.id });
    if (inserted.length < fresh.length) {
      for (const pending of await pendingOf()) {
        if (!outcomes.has(pending.phone as string)) {
          outcomes.set(pending.phone as string, { status: "already_invited", invitationId: pending.id });
        }
      }
    }

    const codeOf = new Map(fresh.map(({ phone, code }) => [phone, code]));
    const messages = await writeOutboxMessages(
      tx,
      inserted.map((invitation) =>
        invitationMessage(context.env, {
          organisationId: invitation.organisationId,
          invitationId: invitation.id,
          channel: "sms",
          recipient: invitation.phone as string,
          organisationName: found.organisationName,
          inviterName: invitation.inviterName,
          roleName: null,
          opportunityName: opportunity.name,
          customMessage: invitation.customMessage,
          code: codeOf.get(invitation.phone as string) as string,
          expiresAt: invitation.expiresAt,
        }),
      ),
    );
    await recordChanges(
      tx,
      context,
      inserted.map((invitation) => ({
        action: "invitation.created" as const,
        resource: resourceOf(invitation),
        before: null,
        after: presentInvitation(invitation, null),
      })),
    );
    return { outcomes, outboxIds: messages.map((message) => message.id) };
  });
  await dispatch(context.env, outboxIds);

  return input.entries.map((entry) => {
    if (!("phone" in entry)) return { phone: entry.given, status: "invalid", error: entry.error };
    const outcome = outcomes.get(entry.phone);
    // Every valid number got an outcome above; one without is a bug, not a silent "invited".
    if (!outcome) throw new Error(`no outcome for ${entry.phone}`);
    return { phone: entry.phone, ...outcome };
  });
}

/**
 * The numbers among `phones` whose person already has access: an accepted invitation to the opportunity, or
 * access held by someone whose verified phone it is. Each with the accepted invitation, when there is one.
 */
async function accessByPhone(tx: Queryable, opportunityId: string, phones: string[]) {
  const [accepted, holders] = [
    await tx
      .select({ phone: invitations.phone, id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.opportunityId, opportunityId),
          inArray(invitations.phone, phones),
          eq(invitations.status, "accepted"),
        ),
      )
      .orderBy(desc(invitations.id)),
    await tx
      .select({ phone: users.phone, invitationId: opportunityWorkers.invitationId })
      .from(opportunityWorkers)
      .innerJoin(users, eq(users.id, opportunityWorkers.userId))
      .where(
        and(
          eq(opportunityWorkers.opportunityId, opportunityId),
          inArray(users.phone, phones),
          sql`${users.phoneVerified}`,
        ),
      ),
  ];
  const found = new Map<string, string | null>();
  for (const row of accepted) if (!found.has(row.phone as string)) found.set(row.phone as string, row.id);
  for (const row of holders) if (!found.has(row.phone as string)) found.set(row.phone as string, row.invitationId);
  return found;
}
