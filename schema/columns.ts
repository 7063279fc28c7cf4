import { customType, timestamp, uuid } from "drizzle-orm/pg-core";
import { typeid } from "typeid-js";

/** Primary key: a UUIDv7 (time-ordered, so it doubles as the cursor key); exposed as a TypeID. */
export const primaryId = () => uuid("id").primaryKey().$defaultFn(newUuid);

/** A fresh UUIDv7. */
export function newUuid(): string {
  return typeid().toUUID();
}

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow()
    .$onUpdateFn(() => new Date());

export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });

/**
 * Minutes of a reference week in UTC (Monday 00:00 = 0, up to 10080), as a multirange: what a weekly schedule in
 * its own time zone covers, so availability overlap is one SQL intersection. Written as text (`{[0,60),[120,180)}`).
 */
export const weekMinutes = customType<{ data: string; driverData: string }>({ dataType: () => "int4multirange" });
