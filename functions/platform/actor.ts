import type { Caller } from "./permissions";

/** Who did something, as the audit trail and an invitation's "invited by" record it. */
export type Actor =
  | { type: "user"; id: string; name: string | null; email: string | null }
  | { type: "service_account"; id: string; name: string | null; email: null }
  | { type: "webhook"; id: null; name: string; email: null }
  | { type: "system"; id: null; name: string; email: null };

/** A member or service account acting in the organisation they entered. */
export function actorOf(caller: Caller): Actor {
  if (caller.serviceAccountId) {
    return { type: "service_account", id: caller.serviceAccountId, name: caller.name, email: null };
  }
  if (!caller.userId) throw new Error("a caller is a person or a service account");
  return { type: "user", id: caller.userId, name: caller.name, email: caller.email };
}

/** A person acting outside any organisation they belong to (creating one, answering an invitation). */
export function personActor(user: { id: string; name: string | null; email: string | null }): Actor {
  return { type: "user", id: user.id, name: user.name, email: user.email };
}

export const webhookActor = (name: string): Actor => ({ type: "webhook", id: null, name, email: null });

/** The cron and other work nobody asked for in a request, named by what it does ("expiry"). */
export const systemActor = (name: string): Actor => ({ type: "system", id: null, name, email: null });
