import type { Context } from "hono";
import type { AppEnv } from "./env";

/**
 * The caller's IP address, for rate limiting and the audit trail. Only `CF-Connecting-IP`: Cloudflare's edge
 * (and the local dev front, db/dev-front.ts) overwrites it, while `X-Real-IP` or `X-Forwarded-For` are
 * whatever the client chose to send.
 */
export function clientAddress(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}
