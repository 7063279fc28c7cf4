import type { Database } from "../functions/platform/db";
import { users } from "../schema";
import { DEV_ISSUER } from "./local/keys";

/**
 * A demo person, as the dev identity provider knows them (`npm run -s token -- alice@example.com` signs in as
 * them). Their name counts as chosen, so a token's default name claim (the email's local part) does not replace it.
 */
export async function upsertDemoUser(db: Database, email: string, name: string) {
  const [user] = await db
    .insert(users)
    .values({ issuer: DEV_ISSUER, subject: `dev|${email}`, email, emailVerified: true, name, nameChosen: true })
    .onConflictDoUpdate({ target: [users.issuer, users.subject], set: { email, name, nameChosen: true } })
    .returning();
  if (!user) throw new Error("user upsert failed");
  return user;
}
