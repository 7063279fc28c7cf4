import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";

/** How a program's work is delivered (a global catalog curated by platform administrators). */
export const deliveryTypes = pgTable(
  "delivery_types",
  {
    id: primaryId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    ...timestamps(),
  },
  (t) => [uniqueIndex("delivery_types_slug_key").on(t.slug)],
);

export type DeliveryType = typeof deliveryTypes.$inferSelect;
