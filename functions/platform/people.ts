import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { type User, users } from "../../schema";
import { type Actor, personActor } from "./actor";
import type { Principal } from "./auth";
import type { Database } from "./db";
import { permissionDenied } from "./errors";
import { type AppEnv, principalOf, type RequestMeta, requestMeta } from "./request";

/** A person acting on their own behalf, outside any organisation (creating one, answering an invitation). */
export interface PersonContext {
  db: Database;
  user: User;
  actor: Actor;
  /** Null for work outside a request (the seed). */
  meta: RequestMeta | null;
}

/** The calling person, with their user row: service accounts are refused (403) with the reason given. */
export async function personContext(c: Context<AppEnv>, refusal: string): Promise<PersonContext> {
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied(refusal);
  const user = await ensureUser(c.get("db"), principal);
  return { db: c.get("db"), user, actor: personActor(user), meta: requestMeta(c) };
}

/** Finds or creates the user row for a person's token. */
export async function ensureUser(db: Database, principal: Principal & { kind: "user" }) {
  const [existing] = await db
    .insert(users)
    .values({
      issuer: principal.issuer,
      subject: principal.subject,
      email: principal.email,
      emailVerified: principal.emailVerified,
      phone: principal.phone,
      phoneVerified: principal.phoneVerified,
      name: principal.name,
    })
    .onConflictDoUpdate({
      target: [users.issuer, users.subject],
      set: {
        email: principal.email,
        emailVerified: principal.emailVerified,
        phone: principal.phone,
        phoneVerified: principal.phoneVerified,
        // The token's name fills in, until the person chooses one of their own (PATCH /v1/users/me).
        name: sql`case when ${users.nameChosen} then ${users.name} else coalesce(${principal.name}, ${users.name}) end`,
      },
    })
    .returning();
  if (!existing) throw new Error("user upsert returned nothing");
  return existing;
}

// People already written this isolate's lifetime, so first sight costs one upsert, not one per request.
const SEEN_CAPACITY = 10_000;
const seenPeople = new Set<string>();

/** Creates the person's user row the first time their token is seen (and refreshes email and, unless chosen, name). */
export async function rememberPerson(db: Database, principal: Principal & { kind: "user" }): Promise<void> {
  const key = JSON.stringify([
    principal.issuer,
    principal.subject,
    principal.email,
    principal.emailVerified,
    principal.phone,
    principal.phoneVerified,
    principal.name,
  ]);
  if (seenPeople.has(key)) return;
  await ensureUser(db, principal);
  if (seenPeople.size >= SEEN_CAPACITY) seenPeople.clear();
  seenPeople.add(key);
}
