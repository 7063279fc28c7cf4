import type { Principal } from "./auth";
import type { PlatformAdmins } from "./config";
import { permissionDenied } from "./errors";

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
