import type { Role } from "../../schema";
import { permissionDenied } from "./errors";
import { type Caller, OWNER_ROLE_KEY } from "./permissions";

type RoleFacts = Pick<Role, "key" | "globalAccess">;

/**
 * The parity rules (seed 001), checked on every path that changes who holds which role:
 * the owner moves only by ownership transfer; service accounts never grant global access;
 * only global-access people change global-access members.
 */
export function assertMayChangeMember(caller: Caller, current: RoleFacts, next?: RoleFacts): void {
  if (current.key === OWNER_ROLE_KEY) {
    throw permissionDenied(
      "The owner's role cannot be changed and the owner cannot be removed; use :transfer-ownership.",
    );
  }
  if (next?.key === OWNER_ROLE_KEY) throw permissionDenied("The owner role is given only by :transfer-ownership.");
  if (current.globalAccess || next?.globalAccess) assertMayGrantGlobalAccess(caller);
}

/** Granting, changing or removing global access takes a person who has it. */
export function assertMayGrantGlobalAccess(caller: Caller): void {
  if (caller.serviceAccountId) throw permissionDenied("Service accounts cannot grant or change global access.");
  if (!caller.globalAccess)
    throw permissionDenied("Only members with global access can grant or change global access.");
}

/** A service account never holds a global-access role. */
export function assertServiceAccountMayHold(role: RoleFacts): void {
  if (role.globalAccess) throw permissionDenied("A service account cannot hold a global-access role.");
}

/** Nobody hands out permissions they do not hold themselves, unless they have global access. */
export function assertMayGrantPermissions(caller: Caller, permissions: readonly string[]): void {
  if (caller.globalAccess && !caller.serviceAccountId) return;
  const missing = permissions.filter((permission) => !caller.permissions.includes(permission));
  if (missing.length > 0)
    throw permissionDenied(`You cannot grant permissions you do not hold: ${missing.join(", ")}.`);
}
