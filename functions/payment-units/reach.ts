import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { paymentUnits } from "../../schema";
import { type ReachedOpportunity, reachOpportunity } from "../opportunities/reach";
import type { AppEnv } from "../platform/request";

/**
 * The opportunity of a payment unit, reached with the caller's standing in one round trip (the unit's
 * opportunity id is a subquery). A unit that does not exist, or whose opportunity the caller cannot reach, is
 * 404 "payment unit"; the route's permission is checked on the side found, as for the opportunity itself.
 */
export function reachPaymentUnitOpportunity(c: Context<AppEnv>, id: string): Promise<ReachedOpportunity> {
  return reachOpportunity(
    c,
    sql`(select ${paymentUnits.opportunityId} from ${paymentUnits} where ${eq(paymentUnits.id, id)})`,
    { what: "payment unit" },
  );
}
