import type { Database } from "../functions/platform/db";
import { users } from "../schema";
import { DEV_ISSUER } from "./local/keys";

/** A demo person, as the dev identity provider names them (`npm run token -- --email …` signs in as them). */
export async function upsertDemoUser(db: Database, email: string, name: string) {
  const [user] = await db
    .insert(users)
    .values({ issuer: DEV_ISSUER, subject: `dev|${email}`, email, emailVerified: true, name })
    .onConflictDoUpdate({ target: [users.issuer, users.subject], set: { email, name } })
    .returning();
  if (!user) throw new Error("user upsert failed");
  return user;
}
