import type { Context } from "hono";
import type { Principal } from "./auth";
import { type Config, configOf } from "./config";
import type { Env } from "./env";
import { ApiError } from "./errors";
import type { AppEnv } from "./request";
import { clientAddress } from "./request";

/**
 * The buckets a request can be counted in. Every route counts against `credential`; routes that take a secret
 * code (`:lookup`, `:accept`, `:decline`) also count against the much smaller `codes`, so guessing codes is slow
 * even for a client whose general allowance is large. The token endpoint counts each client id's attempts in
 * `secrets`, whoever sends them, so one client's secret cannot be guessed from many addresses either.
 */
const BUCKETS = {
  credential: { binding: "RATE_LIMITER", policy: "RATE_LIMIT_POLICY", name: "per-credential" },
  codes: { binding: "CODE_RATE_LIMITER", policy: "CODE_RATE_LIMIT_POLICY", name: "codes" },
  secrets: { binding: "SECRET_RATE_LIMITER", policy: "SECRET_RATE_LIMIT_POLICY", name: "client-secret" },
} as const satisfies Record<string, { binding: keyof Env; policy: keyof Config; name: string }>;

export type RateLimitBucket = keyof typeof BUCKETS;

/** What a refusal says, per bucket. */
const REFUSALS: Record<RateLimitBucket, string> = {
  credential: "Too many requests",
  codes: "Too many invitation codes tried",
  secrets: "Too many token requests for this client_id",
};

/** `limit/period` as configured on the binding (the binding itself does not expose it). */
const policyOf = (env: Env, bucket: RateLimitBucket) => configOf(env)[BUCKETS[bucket].policy];

export function rateLimitKey(c: Context<AppEnv>, principal: Principal | undefined): string {
  if (principal?.kind === "service_account") return `sa:${principal.serviceAccountId}`;
  if (principal?.kind === "user") return `user:${principal.issuer}|${principal.subject}`;
  return `ip:${clientAddress(c) ?? "unknown"}`;
}

/**
 * Counts the request in each bucket, by the Workers rate-limiting bindings. `RateLimit-Policy` lists every
 * bucket that applies; a refusal names the bucket that ran out in `RateLimit` and waits out its window.
 */
export async function enforceRateLimits(c: Context<AppEnv>, key: string, buckets: RateLimitBucket[]): Promise<void> {
  const applied = buckets.flatMap((bucket) => {
    const limiter = c.env[BUCKETS[bucket].binding];
    return limiter ? [{ bucket, limiter, ...policyOf(c.env, bucket) }] : [];
  });
  if (applied.length === 0) return;
  const policyHeader = applied
    .map(({ bucket, limit, period }) => `"${BUCKETS[bucket].name}";q=${limit};w=${period}`)
    .join(", ");
  // Appended: the token endpoint counts its `secrets` bucket after the guard has counted `credential`.
  c.header("RateLimit-Policy", policyHeader, { append: true });
  for (const { bucket, limiter, limit, period } of applied) {
    const { success } = await limiter.limit({ key });
    if (success) continue;
    throw new ApiError(
      "rate_limited",
      `${REFUSALS[bucket]}: at most ${limit} every ${period} seconds.`,
      { retry_after: period, limit },
      {
        "Retry-After": String(period),
        RateLimit: `"${BUCKETS[bucket].name}";r=0;t=${period}`,
        "RateLimit-Policy": policyHeader,
      },
    );
  }
}
