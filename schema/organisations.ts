import { boolean, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";

export const organisations = pgTable("organisations", {
  id: primaryId(),
  name: text("name").notNull(),
  /** Members of such an organisation may belong to no other organisation that also sets it. */
  exclusiveMembership: boolean("exclusive_membership").notNull().default(false),
  /** Set by platform administrators: only such organisations create programs. */
  programManager: boolean("program_manager").notNull().default(false),
  /** The organisation's own weights for matching factors (absent: the documented defaults). */
  matchingWeights: jsonb("matching_weights").$type<Record<string, number>>(),
  ...timestamps(),
});

export type Organisation = typeof organisations.$inferSelect;
