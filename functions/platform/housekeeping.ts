import { type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "./db";

/** The cron's clean-ups delete a bounded batch a run, so one run never holds long locks or times out. */
export async function deleteBatch(db: Queryable, table: PgTable, where: SQL, batch = 5000): Promise<number> {
  const gone = await db.execute(
    sql`delete from ${table} where ctid in (select ctid from ${table} where ${where} limit ${batch})`,
  );
  return gone.rowCount ?? 0;
}
