import type { Context, MiddlewareHandler } from "hono";
import type { Principal } from "./auth";
import { configOf } from "./config";
import type { Env } from "./env";
import { ApiError } from "./errors";
import type { RateLimitPolicy } from "./plans";
import type { AppEnv, CountedRequest } from "./request";
import { clientAddress } from "./request";

/**
 * The buckets a request is counted in. Each key's bucket lives in one of `RATE_LIMIT_SHARDS` Durable Objects, picked
 * by a hash of the key, so a budget is exact across isolates and Workers and the `RateLimit` header can say what is
 * left, without a Durable Object (and its cold start) per credential:
 * - `organisation`: a credential inside one organisation, sized by the organisation's plan (tenancy.ts counts it
 *   once the organisation is known);
 * - `personal`: a credential outside any organisation (its own profile, creating an organisation), or a request
 *   that never reached one (a 404, a bad body);
 * - `anonymous`: requests without credentials, per client address (coarse);
 * - `codes`: routes that take an invitation code, on top of the above, so guessing codes is slow for anyone;
 * - `client-secret`: the token endpoint, per client id whoever sends it, so one secret cannot be guessed from many
 *   addresses.
 */
export type RateLimitBucket = "organisation" | "personal" | "anonymous" | "codes" | "client-secret";

const REFUSALS: Record<RateLimitBucket, string> = {
  organisation: "Too many requests for this credential in this organisation",
  personal: "Too many requests for this credential",
  anonymous: "Too many requests from this address",
  codes: "Too many invitation codes tried",
  "client-secret": "Too many token requests for this client_id",
};

/** A bucket's stub: the RateLimiter Durable Object (rate-limiter.ts), called over RPC. */
interface Shard {
  take(key: string, policy: RateLimitPolicy): Promise<Verdict>;
}

/** Durable Objects the buckets are spread over; changing it moves keys between shards (their budgets restart). */
export const RATE_LIMIT_SHARDS = 64;

/** The shard holding a key's bucket: FNV-1a of the key, so the same key always meets the same shard. */
export function rateLimitShard(bucketKey: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bucketKey.length; i++) hash = Math.imul(hash ^ bucketKey.charCodeAt(i), 0x01000193);
  return `shard:${(hash >>> 0) % RATE_LIMIT_SHARDS}`;
}

/** What one bucket said about one request. */
export interface Verdict {
  allowed: boolean;
  /** Requests left in the window after this one. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  reset: number;
  /** Seconds until one more request is allowed (refusals). */
  retryAfter: number;
}

/**
 * GCRA (a token bucket kept as one timestamp): each request moves the "theoretical arrival time" on by
 * `window / limit`; a request is refused when that would run more than one window ahead of now. A full burst of
 * `limit` requests is allowed, and the budget refills evenly.
 */
export function decide(tat: number, now: number, policy: RateLimitPolicy): Verdict & { tat: number } {
  const window = policy.window_seconds * 1000;
  const interval = window / policy.limit;
  const start = Math.max(tat, now);
  const next = start + interval;
  if (next - now > window) {
    return {
      allowed: false,
      tat: start,
      remaining: 0,
      reset: Math.max(1, Math.ceil((start - now) / 1000)),
      retryAfter: Math.max(1, Math.ceil((next - now - window) / 1000)),
    };
  }
  return {
    allowed: true,
    tat: next,
    remaining: Math.floor((window - (next - now)) / interval + 1e-9),
    reset: Math.max(1, Math.ceil((next - now) / 1000)),
    retryAfter: 0,
  };
}

/** Whose budget a request outside an organisation draws: the credential's, or the client address's. */
function personalKey(c: Context<AppEnv>, principal: Principal | undefined): { bucket: RateLimitBucket; key: string } {
  if (principal?.kind === "service_account") return { bucket: "personal", key: `sa:${principal.serviceAccountId}` };
  if (principal?.kind === "user") return { bucket: "personal", key: `user:${principal.issuer}|${principal.subject}` };
  return { bucket: "anonymous", key: `ip:${clientAddress(c) ?? "unknown"}` };
}

/** Who is calling, as one string: the credential, or the client address without one (idempotency keys too). */
export const callerKey = (c: Context<AppEnv>, principal: Principal | undefined) => personalKey(c, principal).key;

function credentialKey(principal: Principal): string {
  return principal.kind === "service_account"
    ? `sa:${principal.serviceAccountId}`
    : `user:${principal.issuer}|${principal.subject}`;
}

function configuredPolicy(env: Env, bucket: Exclude<RateLimitBucket, "organisation">): RateLimitPolicy {
  const config = configOf(env);
  const { limit, period } = {
    personal: config.RATE_LIMIT_POLICY,
    anonymous: config.ANONYMOUS_RATE_LIMIT_POLICY,
    codes: config.CODE_RATE_LIMIT_POLICY,
    "client-secret": config.SECRET_RATE_LIMIT_POLICY,
  }[bucket];
  return { limit, window_seconds: period };
}

/** Counts one request in one bucket; a refusal is 429 `rate_limited` with `Retry-After`. */
async function count(c: Context<AppEnv>, bucket: RateLimitBucket, key: string, policy: RateLimitPolicy): Promise<void> {
  // Every Worker binds it (test/node/config.test.ts); only Node scripts running the app (the document, the bench)
  // have no Durable Objects, and count nothing.
  const namespace = c.env.RATE_LIMITS as DurableObjectNamespace | undefined;
  if (!namespace) return;
  const bucketKey = `${bucket}:${key}`;
  const shard = namespace.get(namespace.idFromName(rateLimitShard(bucketKey))) as unknown as Shard;
  const verdict = await shard.take(bucketKey, policy);
  const counted: CountedRequest = { ...verdict, bucket, policy };
  c.set("rateLimits", [...(c.get("rateLimits") ?? []), counted]);
  if (verdict.allowed) return;
  throw new ApiError(
    "rate_limited",
    `${REFUSALS[bucket]}: at most ${policy.limit} requests every ${policy.window_seconds} seconds. ` +
      `Retry in ${verdict.retryAfter} ${verdict.retryAfter === 1 ? "second" : "seconds"}.`,
    { retry_after: verdict.retryAfter, limit: policy.limit, window_seconds: policy.window_seconds },
    { "Retry-After": String(verdict.retryAfter) },
  );
}

/**
 * Counts a request in the organisation's bucket for this credential, with the plan's policy. Once per request:
 * a handler that reaches the organisation twice is one request.
 */
export async function limitOrganisationRequest(
  c: Context<AppEnv>,
  organisationId: string,
  policy: RateLimitPolicy,
): Promise<void> {
  if (c.get("unmetered") || c.get("rateLimits")?.some((counted) => counted.bucket === "organisation")) return;
  const principal = c.get("principal");
  if (!principal) return;
  await count(c, "organisation", `${organisationId}|${credentialKey(principal)}`, policy);
}

/** Counts a request outside any organisation: the credential's own budget, or the address's. */
export async function limitPersonalRequest(c: Context<AppEnv>): Promise<void> {
  const { bucket, key } = personalKey(c, c.get("principal"));
  await count(c, bucket, key, configuredPolicy(c.env, bucket as Exclude<RateLimitBucket, "organisation">));
}

/** Routes that take an invitation code: the small `codes` bucket, per credential or address. */
export async function limitCodeGuesses(c: Context<AppEnv>): Promise<void> {
  const { key } = personalKey(c, c.get("principal"));
  await count(c, "codes", key, configuredPolicy(c.env, "codes"));
}

/** The token endpoint: each client id's attempts, from wherever they come. */
export async function limitSecretGuesses(c: Context<AppEnv>, clientId: string): Promise<void> {
  await count(c, "client-secret", `client:${clientId}`, configuredPolicy(c.env, "client-secret"));
}

const quote = (bucket: string) => `"${bucket}"`;

/**
 * Every response says what it was counted in: `RateLimit-Policy` (each bucket's quota and window) and
 * `RateLimit` (what is left and when it is full again), IETF draft-ietf-httpapi-ratelimit-headers. A request that
 * ended before anything counted it (no credentials, a bad body, an organisation it is not in, no such route) is
 * counted here, in the personal or anonymous bucket; if that bucket is spent, the answer is the 429. A CORS
 * preflight is answered before this (by the browser's asking, without credentials, its headers unread by scripts).
 */
export function rateLimitHeaders(render: (c: Context<AppEnv>, error: unknown) => Response): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if ((c.get("rateLimits") ?? []).length === 0) {
      try {
        await limitPersonalRequest(c);
      } catch (error) {
        // Only an answer that did nothing is replaced by the refusal.
        if (c.res.status >= 400) c.res = render(c, error);
      }
    }
    const counted = c.get("rateLimits") ?? [];
    if (counted.length === 0) return;
    c.res.headers.set(
      "RateLimit-Policy",
      counted.map(({ bucket, policy }) => `${quote(bucket)};q=${policy.limit};w=${policy.window_seconds}`).join(", "),
    );
    c.res.headers.set(
      "RateLimit",
      counted.map(({ bucket, remaining, reset }) => `${quote(bucket)};r=${remaining};t=${reset}`).join(", "),
    );
  };
}
