import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { users } from "../../schema";
import { personActor } from "./actor";
import type { Principal } from "./auth";
import type { PlatformAdmins } from "./config";
import { permissionDenied } from "./errors";
import { ensureUser, type PersonContext } from "./people";
import { type AppEnv, principalOf, requestMeta } from "./request";

/**
 * Platform administrators are people listed in PLATFORM_ADMINS: by a verified email (the token says
 * `email_verified: true`), or by `issuer|subject`. A service account never is one, whatever its organisation.
 */
export function isPlatformAdmin(admins: PlatformAdmins, principal: Principal | undefined): boolean {
  if (principal?.kind !== "user") return false;
  if (admins.identities.has(`${principal.issuer}|${principal.subject}`)) return true;
  return principal.email !== null && principal.emailVerified && admins.emails.has(principal.email);
}

/** 403 `permission_denied` unless the caller is a platform administrator, saying why. */
export function requirePlatformAdmin(admins: PlatformAdmins, principal: Principal | undefined): void {
  if (isPlatformAdmin(admins, principal)) return;
  if (principal?.kind === "service_account") {
    throw permissionDenied("Only platform administrators may do this, and a service account never is one.");
  }
  if (principal?.kind === "user" && principal.email !== null && admins.emails.has(principal.email)) {
    throw permissionDenied(
      "Only platform administrators may do this: your email is not verified in this token (email_verified).",
    );
  }
  throw permissionDenied("Only platform administrators may do this.");
}

/**
 * The calling platform administrator, as the person context their audited changes need. The guard has
 * already let only administrators through and remembered their user row, so this is one read (the row is
 * created here only if it has gone missing since).
 */
export async function platformAdminContext(c: Context<AppEnv>): Promise<PersonContext> {
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied("Only platform administrators may do this.");
  const db = c.get("db");
  const [found] = await db
    .select()
    .from(users)
    .where(and(eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)))
    .limit(1);
  const user = found ?? (await ensureUser(db, principal));
  return { db, user, actor: personActor(user), meta: requestMeta(c) };
}
