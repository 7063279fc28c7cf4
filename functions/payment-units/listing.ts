import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { type Opportunity, paymentUnits } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, type PageRequest, page } from "../platform/pagination";
import type { OrgContext } from "../platform/tenancy";
import { presentPaymentUnit } from "./schemas";

/** The payment unit list's filter: GET /v1/payment-units and its export take the same one. */
export const paymentUnitFilters = {
  opportunity_id: typeIdSchema(ID_PREFIX.opportunity).openapi({ description: "The opportunity they pay for." }),
};

/** A page of an opportunity's payment units, oldest first (the list and its export). */
export async function listPaymentUnits(ctx: OrgContext, opportunity: Opportunity, query: PageRequest) {
  const after = decodeCursor(query.cursor);
  const conditions: SQL[] = [eq(paymentUnits.opportunityId, opportunity.id)];
  if (after) conditions.push(gt(paymentUnits.id, after));
  const rows = await ctx.db
    .select()
    .from(paymentUnits)
    .where(and(...conditions))
    .orderBy(asc(paymentUnits.id))
    .limit(query.limit + 1);
  return page(rows, query.limit, (row) => presentPaymentUnit(row, opportunity.currency));
}
