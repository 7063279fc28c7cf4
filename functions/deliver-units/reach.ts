import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { deliverUnits } from "../../schema";
import { type ReachedOpportunity, reachOpportunity } from "../opportunities/reach";
import type { AppEnv } from "../platform/request";

/**
 * The opportunity of a deliver unit, reached with the caller's standing in one round trip. A unit that does
 * not exist, or whose opportunity the caller cannot reach, is 404 "deliver unit".
 */
export function reachDeliverUnitOpportunity(c: Context<AppEnv>, id: string): Promise<ReachedOpportunity> {
  return reachOpportunity(
    c,
    sql`(select ${deliverUnits.opportunityId} from ${deliverUnits} where ${eq(deliverUnits.id, id)})`,
    { what: "deliver unit" },
  );
}
