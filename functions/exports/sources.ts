import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AuditEventSchema, auditEventFilters, listAuditEvents } from "../audit-events/listing";
import { listInvitations } from "../invitations/listing";
import { InvitationSchema, invitationFilters } from "../invitations/schemas";
import { MemberSchema, memberFilters } from "../members/schemas";
import { listMembers } from "../members/service";
import { listOpportunities } from "../opportunities/catalog";
import { assertLevelNamesSkill, opportunityFilters } from "../opportunities/filters";
import { opportunityVisibleTo, reachOpportunity } from "../opportunities/reach";
import { OpportunitySchema } from "../opportunities/schemas";
import { listPaymentUnits, paymentUnitFilters } from "../payment-units/listing";
import { PaymentUnitSchema } from "../payment-units/schemas";
import type { Database } from "../platform/db";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { requirePermission } from "../platform/permissions";
import type { AppEnv } from "../platform/request";
import { type OrgContext, tenancy } from "../platform/tenancy";
import { listPrograms, programFilters } from "../programs/listing";
import { ProgramSchema } from "../programs/schemas";
import type { ExportResource } from "./format";

/** One page of the list being exported, read on the export's own snapshot (`db`), from `cursor` on. */
export type NextPage = (
  db: Database,
  cursor: string | undefined,
  limit: number,
) => Promise<{ data: unknown[]; next_cursor: string | null }>;

/** What an export reads, once the caller is let in: their organisation context and the list's page function. */
export interface OpenedExport {
  ctx: OrgContext;
  nextPage: NextPage;
}

/**
 * A list that can be exported: its filters (the streamed export's query, a job's `filters`), its item schema (the
 * CSV's columns) and how the caller is let in, by the list's own read rule, on the request or on their behalf.
 */
export interface ExportSource {
  resource: ExportResource;
  item: z.ZodType;
  filters: z.ZodObject;
  open(c: Context<AppEnv>, filters: Record<string, unknown>): Promise<OpenedExport>;
}

function source<Shape extends z.ZodRawShape>(definition: {
  resource: ExportResource;
  item: z.ZodType;
  filters: Shape;
  open(c: Context<AppEnv>, filters: z.output<z.ZodObject<Shape>>): Promise<OpenedExport>;
}): ExportSource {
  return {
    resource: definition.resource,
    item: definition.item,
    filters: z.object(definition.filters),
    open: definition.open as ExportSource["open"],
  };
}

export const organisationScope = {
  organisation_id: typeIdSchema(ID_PREFIX.organisation)
    .optional()
    .openapi({ description: "Required for people; a service account's token implies it." }),
};

export const EXPORT_SOURCES: Record<ExportResource, ExportSource> = {
  members: source({
    resource: "members",
    item: MemberSchema,
    filters: memberFilters,
    async open(c, { organisation_id, ...filters }) {
      const ctx = await tenancy(c).enter(organisation_id);
      return { ctx, nextPage: (db, cursor, limit) => listMembers({ ...ctx, db }, { ...filters, cursor, limit }) };
    },
  }),
  invitations: source({
    resource: "invitations",
    item: InvitationSchema,
    filters: invitationFilters,
    async open(c, { organisation_id, ...filters }) {
      const ctx = await tenancy(c).enter(organisation_id);
      return { ctx, nextPage: (db, cursor, limit) => listInvitations({ ...ctx, db }, { ...filters, cursor, limit }) };
    },
  }),
  programs: source({
    resource: "programs",
    item: ProgramSchema,
    filters: programFilters,
    async open(c, { organisation_id, ...filters }) {
      const ctx = await tenancy(c).enter(organisation_id);
      return { ctx, nextPage: (db, cursor, limit) => listPrograms({ ...ctx, db }, { ...filters, cursor, limit }) };
    },
  }),
  opportunities: source({
    resource: "opportunities",
    item: OpportunitySchema,
    filters: { ...organisationScope, ...opportunityFilters },
    async open(c, { organisation_id, ...filters }) {
      assertLevelNamesSkill(filters);
      const ctx = await tenancy(c).enter(organisation_id);
      const scope = opportunityVisibleTo(ctx);
      return { ctx, nextPage: (db, cursor, limit) => listOpportunities(db, scope, { ...filters, cursor, limit }) };
    },
  }),
  "payment-units": source({
    resource: "payment-units",
    item: PaymentUnitSchema,
    filters: paymentUnitFilters,
    async open(c, filters) {
      const { ctx, opportunity } = await reachOpportunity(c, filters.opportunity_id);
      return { ctx, nextPage: (db, cursor, limit) => listPaymentUnits({ ...ctx, db }, opportunity, { cursor, limit }) };
    },
  }),
  "audit-events": source({
    resource: "audit-events",
    item: AuditEventSchema,
    filters: auditEventFilters,
    async open(c, { organisation_id, ...filters }) {
      const ctx = await tenancy(c).enter(organisation_id);
      requirePermission(ctx.caller, "audit:read");
      return { ctx, nextPage: (db, cursor, limit) => listAuditEvents({ ...ctx, db }, { ...filters, cursor, limit }) };
    },
  }),
};
