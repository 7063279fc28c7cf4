import { eq, type SQL, sql } from "drizzle-orm";
import { deliveryTypes, opportunities, type Program, programs } from "../../schema";
import type { Queryable } from "../platform/db";
import type { ProgramView } from "./schemas";

/**
 * A program's id as a query over `programs` sees it, always qualified: Drizzle leaves columns unqualified in a
 * single-table select, where a subquery over `opportunities` would read `id` as its own.
 */
export const PROGRAM_ID = sql.raw('"programs"."id"');

/** What a program's opportunities' budgets add up to (numeric, exact), for a program id (column or value). */
export function allocatedTo(programId: SQL): SQL<string> {
  return sql<string>`(select coalesce(sum(${opportunities.totalBudget}), 0)::text from ${opportunities} where ${opportunities.programId} = ${programId})`;
}

/** The columns a program's view reads beside its row, for a query that joins `delivery_types`. */
export const viewColumns = {
  program: programs,
  deliveryType: deliveryTypes.slug,
  allocated: allocatedTo(PROGRAM_ID),
};

/** A program's view from its row: one statement. */
export async function viewOf(db: Queryable, program: Program): Promise<ProgramView> {
  const [found] = await db
    .select({ deliveryType: deliveryTypes.slug, allocated: allocatedTo(sql`${program.id}::uuid`) })
    .from(deliveryTypes)
    .where(eq(deliveryTypes.id, program.deliveryTypeId));
  if (!found) throw new Error(`program ${program.id} has no delivery type`);
  return { program, ...found };
}
