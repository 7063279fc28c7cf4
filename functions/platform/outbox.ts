import { and, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type OutboxMessage, outboxMessages } from "../../schema";
import type { Database, Queryable, Transaction } from "./db";
import type { Env, OutboxQueueMessage } from "./env";
import { type SendResult, sendThroughProvider } from "./providers";

/** Attempts before a message is dead. */
export const MAX_ATTEMPTS = 8;
/** How long a claimed message is reserved for the one sending it. */
const LEASE_SECONDS = 60;
/** Due messages older than this were not picked up by their queue message, so the sweep hands them over. */
const SWEEP_GRACE_SECONDS = 30;

/** 15 s, 30 s, 1 min, 2 min … capped at one hour, with up to 20 % jitter so retries do not stampede. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(15 * 2 ** Math.max(attempts - 1, 0), 3600);
  return Math.round(base * (1 + Math.random() * 0.2));
}

export type NewOutboxMessage = Pick<
  typeof outboxMessages.$inferInsert,
  "organisationId" | "invitationId" | "channel" | "recipient" | "subject" | "textBody" | "htmlBody" | "expiresAt"
>;

/** How a message ended up after an attempt, as the domain that wrote it learns it (in the same transaction). */
export type DeliveryState = "sent" | "retrying" | "failed";

/** What a resource hands the outbox so it hears of its messages' fate without the outbox knowing it. */
export interface DeliveryHooks {
  settled?(tx: Transaction, message: Pick<OutboxMessage, "id" | "invitationId">, state: DeliveryState): Promise<void>;
}

/** Writes a message in the caller's transaction; a newer message for the same invitation supersedes older ones. */
export async function writeOutboxMessage(tx: Queryable, message: NewOutboxMessage): Promise<OutboxMessage> {
  const [row] = await writeOutboxMessages(tx, [message]);
  if (!row) throw new Error("outbox insert returned nothing");
  return row;
}

/** Many messages in two statements (what a batch of invitations sends), in the order given. */
export async function writeOutboxMessages(tx: Queryable, messages: NewOutboxMessage[]): Promise<OutboxMessage[]> {
  if (messages.length === 0) return [];
  await supersedePending(
    tx,
    messages.flatMap((message) => (message.invitationId ? [message.invitationId] : [])),
  );
  const rows = await tx.insert(outboxMessages).values(messages).returning();
  if (rows.length !== messages.length) throw new Error("outbox insert returned fewer rows than it was given");
  return rows;
}

/**
 * A message that will not be sent again loses its bodies: they hold an invitation code, which is stored
 * nowhere else in clear. Subject, recipient and status stay for the record.
 */
const SPENT_BODIES = { textBody: "", htmlBody: null } as const;

export async function supersedePending(tx: Queryable, invitationIds: string | string[]): Promise<void> {
  const ids = Array.isArray(invitationIds) ? invitationIds : [invitationIds];
  if (ids.length === 0) return;
  await tx
    .update(outboxMessages)
    .set({ status: "superseded", ...SPENT_BODIES })
    .where(and(inArray(outboxMessages.invitationId, ids), eq(outboxMessages.status, "pending")));
}

export type DeliveryOutcome =
  | { outcome: "sent" }
  | { outcome: "retry"; retryInSeconds: number; error: string }
  | { outcome: "dead"; error: string }
  | { outcome: "skipped" };

/**
 * Sends one message if it is due and nobody else holds it. The claim (attempts + 1, a lease) is one atomic
 * UPDATE, so the inline attempt, the queue consumer and the sweep never send the same message twice at once.
 */
export async function deliver(
  env: Env,
  db: Database,
  outboxId: string,
  hooks: DeliveryHooks = {},
): Promise<DeliveryOutcome> {
  const [claimed] = await db
    .update(outboxMessages)
    .set({
      attempts: sql`${outboxMessages.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
    })
    .where(
      and(
        eq(outboxMessages.id, outboxId),
        eq(outboxMessages.status, "pending"),
        lte(outboxMessages.nextAttemptAt, sql`now()`),
        // A message past its expiry carries a code that no longer works: it is dropped, never sent late.
        or(isNull(outboxMessages.expiresAt), gt(outboxMessages.expiresAt, sql`now()`)),
      ),
    )
    .returning();
  if (!claimed) return { outcome: "skipped" };

  let result: SendResult;
  try {
    result = await sendThroughProvider(env, claimed);
  } catch (error) {
    result = { ok: false, retryable: true, error: `delivery failed: ${String((error as Error)?.message ?? error)}` };
  }
  const dead = !result.ok && (!result.retryable || claimed.attempts >= MAX_ATTEMPTS);
  const retryInSeconds = backoffSeconds(claimed.attempts);
  await db.transaction(async (tx) => {
    // Only while the message is still ours: a cancel, resend or expiry during the send superseded it, and
    // then neither the message nor its invitation's delivery status may be brought back.
    const [current] = await tx
      .update(outboxMessages)
      .set(
        result.ok
          ? {
              status: "sent",
              sentAt: new Date(),
              providerMessageId: result.providerMessageId,
              lastError: null,
              ...SPENT_BODIES,
            }
          : {
              status: dead ? "dead" : "pending",
              lastError: result.error,
              nextAttemptAt: sql`now() + make_interval(secs => ${dead ? 0 : retryInSeconds})`,
              ...(dead ? SPENT_BODIES : {}),
            },
      )
      .where(
        and(
          eq(outboxMessages.id, outboxId),
          eq(outboxMessages.status, "pending"),
          eq(outboxMessages.attempts, claimed.attempts),
        ),
      )
      .returning({ id: outboxMessages.id, invitationId: outboxMessages.invitationId });
    if (current) await hooks.settled?.(tx, current, result.ok ? "sent" : dead ? "failed" : "retrying");
  });
  if (result.ok) return { outcome: "sent" };
  return dead ? { outcome: "dead", error: result.error } : { outcome: "retry", retryInSeconds, error: result.error };
}

/** Hands messages to the queue; if the queue is unavailable the sweep finds them later, so nothing is lost. */
export async function dispatch(env: Env, outboxIds: string[], delaySeconds = 0): Promise<void> {
  if (!env.OUTBOX_QUEUE || outboxIds.length === 0) return;
  try {
    await env.OUTBOX_QUEUE.sendBatch(
      outboxIds.map((outboxId) => ({ body: { outboxId }, ...(delaySeconds > 0 ? { delaySeconds } : {}) })),
    );
  } catch (error) {
    console.warn("outbox: queue send failed; the sweep will retry", error);
  }
}

/** The queue consumer: deliver each message, and retry later (with backoff) the ones that failed. */
export async function consumeOutbox(
  batch: MessageBatch<OutboxQueueMessage>,
  env: Env,
  db: Database,
  hooks: DeliveryHooks = {},
): Promise<void> {
  for (const message of batch.messages) {
    try {
      const result = await deliver(env, db, message.body.outboxId, hooks);
      if (result.outcome === "retry") message.retry({ delaySeconds: result.retryInSeconds });
      else message.ack();
    } catch (error) {
      console.error("outbox: delivery crashed", error);
      message.retry({ delaySeconds: backoffSeconds(1) });
    }
  }
}

/** The cron's share of delivery: due messages that never reached (or fell out of) the queue. */
export async function sweepOutbox(env: Env, db: Database, hooks: DeliveryHooks = {}, limit = 500): Promise<string[]> {
  const due = await db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.status, "pending"),
        lte(outboxMessages.nextAttemptAt, sql`now() - make_interval(secs => ${SWEEP_GRACE_SECONDS})`),
      ),
    )
    .limit(limit);
  const ids = due.map((row) => row.id);
  if (env.OUTBOX_QUEUE) await dispatch(env, ids);
  else for (const id of ids) await deliver(env, db, id, hooks);
  return ids;
}
