import type { Context } from "hono";
import type { Principal } from "./auth";
import type { AppEnv } from "./env";
import { ApiError } from "./errors";

/** `limit/period` as configured on the RATE_LIMITER binding (the binding itself does not expose it). */
function policy(c: Context<AppEnv>): { limit: number; period: number } {
  const [limit, period] = (c.env.RATE_LIMIT_POLICY ?? "600/60").split("/").map(Number);
  return { limit: limit && limit > 0 ? limit : 600, period: period && period > 0 ? period : 60 };
}

export function rateLimitKey(c: Context<AppEnv>, principal: Principal | undefined): string {
  if (principal?.kind === "service_account") return `sa:${principal.serviceAccountId}`;
  if (principal?.kind === "user") return `user:${principal.issuer}|${principal.subject}`;
  return `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
}

/** One bucket per credential (or per IP for public routes), counted by the Workers rate-limiting binding. */
export async function enforceRateLimit(c: Context<AppEnv>, key: string): Promise<void> {
  const limiter = c.env.RATE_LIMITER;
  if (!limiter) return;
  const { limit, period } = policy(c);
  const policyHeader = `"per-credential";q=${limit};w=${period}`;
  c.header("RateLimit-Policy", policyHeader);
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new ApiError(
      "rate_limited",
      `Too many requests: at most ${limit} every ${period} seconds.`,
      { retry_after: period, limit },
      {
        "Retry-After": String(period),
        RateLimit: `"per-credential";r=0;t=${period}`,
        "RateLimit-Policy": policyHeader,
      },
    );
  }
}
