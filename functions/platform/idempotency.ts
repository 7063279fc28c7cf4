import { and, eq, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { idempotencyKeys } from "../../schema";
import type { Database } from "./db";
import { ApiError, validationError } from "./errors";
import { deleteBatch } from "./housekeeping";
import { callerKey } from "./rate-limit";
import type { AppEnv } from "./request";
import { hashSecret, type SecretMap, withoutSecrets } from "./secrets";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION = "24 hours";
/** A claim older than this is presumed abandoned (the Worker died mid-request) and may be taken over. */
const LOCK_SECONDS = 60;
const STORED_HEADERS = ["content-type", "location"];
/**
 * Secrets are shown once and stored only as digests, so they are not kept here either: a replay carries
 * everything but the fields the route's response schema marks secret (`secretFields`).
 */
function storableBody(text: string, secrets: SecretMap | null): string {
  if (secrets === null) return text;
  try {
    return JSON.stringify(withoutSecrets(JSON.parse(text), secrets));
  } catch {
    return text;
  }
}

type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: string; headers: Record<string, string> }
  | { kind: "reused" }
  | { kind: "in_progress" };

async function claim(db: Database, owner: string, key: string, requestHash: string): Promise<Claim> {
  const [claimed] = await db
    .insert(idempotencyKeys)
    .values({
      owner,
      key,
      requestHash,
      state: "in_progress",
      lockedUntil: sql`now() + make_interval(secs => ${LOCK_SECONDS})`,
      expiresAt: sql`now() + interval '${sql.raw(RETENTION)}'`,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.owner, idempotencyKeys.key],
      set: {
        requestHash,
        state: "in_progress",
        responseStatus: null,
        responseBody: null,
        responseHeaders: null,
        lockedUntil: sql`now() + make_interval(secs => ${LOCK_SECONDS})`,
        expiresAt: sql`now() + interval '${sql.raw(RETENTION)}'`,
      },
      // Only an expired key, or an abandoned claim for the same request, is taken over.
      setWhere: sql`${idempotencyKeys.expiresAt} < now() or (${idempotencyKeys.state} = 'in_progress' and ${idempotencyKeys.lockedUntil} < now() and ${idempotencyKeys.requestHash} = ${requestHash})`,
    })
    .returning({ owner: idempotencyKeys.owner });
  if (claimed) return { kind: "claimed" };
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
  if (!existing) return claim(db, owner, key, requestHash); // deleted in between: try again
  if (existing.requestHash !== requestHash) return { kind: "reused" };
  if (existing.state === "in_progress") return { kind: "in_progress" };
  return {
    kind: "replay",
    status: existing.responseStatus ?? 200,
    body: existing.responseBody ?? "",
    headers: existing.responseHeaders ?? {},
  };
}

/**
 * `Idempotency-Key` on any POST: the first response is kept for 24 hours per credential and replayed with
 * `Idempotent-Replayed: true`; the same key with another request is 422, and while the first is running, 409.
 * Responses that say "try again" (500, 503) are not kept, so a retry runs for real.
 */
export function idempotency(secretsByStatus: ReadonlyMap<number, SecretMap>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw validationError({ "Idempotency-Key": ["must be 1 to 255 visible ASCII characters"] });
    }
    const db = c.get("db");
    const owner = callerKey(c, c.get("principal"));
    const body = await c.req.raw.clone().text();
    const requestHash = await hashSecret(`${c.req.method} ${c.req.path}\n${body}`);
    const result = await claim(db, owner, key, requestHash);
    if (result.kind === "reused") {
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
    }
    if (result.kind === "in_progress") {
      throw new ApiError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    if (result.kind === "replay") {
      return new Response(result.body || null, {
        status: result.status,
        headers: { ...result.headers, "Idempotent-Replayed": "true" },
      });
    }

    await next();
    const response = c.res;
    if (response.status === 500 || response.status === 503) {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    await db
      .update(idempotencyKeys)
      .set({
        state: "completed",
        responseStatus: response.status,
        responseBody: storableBody(await response.clone().text(), secretsByStatus.get(response.status) ?? null),
        responseHeaders: headers,
      })
      .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
  };
}

/** The cron forgets keys past their 24 hours (their stored responses with them), a bounded batch a run. */
export function forgetExpiredKeys(db: Database, batch?: number): Promise<number> {
  return deleteBatch(db, idempotencyKeys, sql`${idempotencyKeys.expiresAt} < now()`, batch);
}
