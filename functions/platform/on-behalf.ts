import { Context } from "hono";
import type { Principal } from "./auth";
import type { Database } from "./db";
import type { Env } from "./env";
import type { AccessRule, Scope } from "./permissions";
import type { AppEnv, RequestMeta } from "./request";

/** A principal as a row keeps it (JSON: the scopes as a list). */
export type StoredPrincipal =
  | (Omit<Extract<Principal, { kind: "user" }>, "scopes"> & { scopes: Scope[] })
  | (Omit<Extract<Principal, { kind: "service_account" }>, "scopes"> & { scopes: Scope[] });

export const storePrincipal = (principal: Principal): StoredPrincipal =>
  ({ ...principal, scopes: [...principal.scopes] }) as StoredPrincipal;

export const restorePrincipal = (stored: StoredPrincipal): Principal =>
  ({ ...stored, scopes: new Set(stored.scopes) }) as Principal;

/**
 * A request context for work done later on a caller's behalf (a queued export). The tenancy helper treats it as
 * the caller's own request: their standing now (a member removed since, or a revoked credential, finds nothing),
 * the organisation's IP allowlist against the address they asked from, the rule's permission and the plan's
 * feature. It is not counted against their rate limit again: the request that queued the work was.
 */
export function onBehalfOf(
  env: Env,
  db: Database,
  work: { principal: StoredPrincipal; meta: RequestMeta; rule: AccessRule },
): Context<AppEnv> {
  const headers = new Headers();
  if (work.meta.ipAddress) headers.set("cf-connecting-ip", work.meta.ipAddress);
  if (work.meta.userAgent) headers.set("user-agent", work.meta.userAgent);
  const c = new Context<AppEnv>(new Request("https://background.invalid/", { headers }), { env });
  c.set("requestId", work.meta.requestId);
  c.set("db", db);
  c.set("principal", restorePrincipal(work.principal));
  c.set("rule", work.rule);
  c.set("unmetered", true);
  return c;
}
