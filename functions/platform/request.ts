import type { Context } from "hono";
import type { Principal } from "./auth";
import type { Database } from "./db";
import type { Env } from "./env";
import { ApiError } from "./errors";
import type { AccessRule } from "./permissions";

/** What the middleware puts on a request for the handlers after it. */
export interface Variables {
  requestId: string;
  db: Database;
  principal?: Principal;
  /** The access rule the route declares, for the tenant helper to enforce on load. */
  rule?: AccessRule;
  /** The rate-limit buckets this request was counted in, for the `RateLimit` headers (rate-limit.ts). */
  rateLimits?: CountedRequest[];
  /** Work done later on a caller's behalf (on-behalf.ts): counted when they asked, not again. */
  unmetered?: boolean;
}

/** One bucket's verdict on this request. */
export interface CountedRequest {
  bucket: string;
  policy: { limit: number; window_seconds: number };
  allowed: boolean;
  remaining: number;
  reset: number;
  retryAfter: number;
}

export type AppEnv = { Bindings: Env; Variables: Variables };

/** Where a request came from, copied into audit events. */
export interface RequestMeta {
  requestId: string;
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * The caller's IP address, for rate limiting and the audit trail. Only `CF-Connecting-IP`: Cloudflare's edge
 * (and the local dev front, db/local/front.ts) overwrites it, while `X-Real-IP` or `X-Forwarded-For` are
 * whatever the client chose to send.
 */
export function clientAddress(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}

export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return {
    requestId: c.get("requestId"),
    ipAddress: clientAddress(c),
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
  };
}

/** The authenticated caller; a route without credentials never reaches a handler that asks. */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) {
    throw new ApiError("not_authenticated", "Authentication required.", {}, { "WWW-Authenticate": "Bearer" });
  }
  return principal;
}
