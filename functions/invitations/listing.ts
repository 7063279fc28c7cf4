import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { type InvitationStatus, invitations, roles } from "../../schema";
import { decodeCursor, type PageRequest, page } from "../platform/pagination";
import type { OrgContext } from "../platform/tenancy";
import { invitationStatusIs } from "./rules";
import { presentInvitation } from "./schemas";

export interface InvitationFilters {
  status?: InvitationStatus;
  email?: string;
  phone?: string;
  opportunity_id?: string;
}

/** A page of the organisation's invitations, oldest first (the list and its export). */
export async function listInvitations(ctx: OrgContext, query: PageRequest & InvitationFilters) {
  const after = decodeCursor(query.cursor);
  const conditions: SQL[] = [ctx.scope(invitations.organisationId)];
  if (query.status) conditions.push(invitationStatusIs(query.status));
  if (query.email) conditions.push(eq(invitations.email, query.email));
  if (query.phone) conditions.push(eq(invitations.phone, query.phone));
  if (query.opportunity_id) conditions.push(eq(invitations.opportunityId, query.opportunity_id));
  if (after) conditions.push(gt(invitations.id, after));
  const rows = await ctx.db
    .select({ invitation: invitations, role: roles })
    .from(invitations)
    .leftJoin(roles, eq(roles.id, invitations.roleId))
    .where(and(...conditions))
    .orderBy(asc(invitations.id))
    .limit(query.limit + 1);
  return page(
    rows.map((row) => ({ ...row, id: row.invitation.id })),
    query.limit,
    (row) => presentInvitation(row.invitation, row.role),
  );
}
