import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { PLAN_NAMES } from "../../schema";
import { listSchema, paginationQuery } from "../platform/pagination";
import { PLANS } from "../platform/plans";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { AUDIT_EVENT_EXAMPLE, AuditEventSchema, auditEventFilters, listAuditEvents } from "./listing";

export const route = defineRoute({
  method: "get",
  path: "/v1/audit-events",
  operationId: "listAuditEvents",
  tags: ["Audit events"],
  summary: "The organisation's audit trail, newest first",
  description:
    "Every change in the organisation: who (actor), what (action, resource), before and after (changes), from " +
    "where (ip_address, user_agent, request_id). Events are kept for the plan's `audit_retention_days` " +
    `(${PLAN_NAMES.map((plan) => `${plan} ${PLANS[plan].audit_retention_days}`).join(", ")} days; ` +
    "GET /v1/organisations/{id}/plan says which applies); older ones are deleted by the cron. Newest first. " +
    "Needs `audit:read` (owner and admin have it). Filters combine (all must match); an unknown `action` or a " +
    "malformed id or time is a 400.",
  access: { permission: "audit:read" },
  request: {
    query: z.object({
      ...auditEventFilters,
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Audit events.",
      content: {
        "application/json": {
          schema: listSchema(AuditEventSchema, "AuditEventList"),
          example: { object: "list", data: [AUDIT_EVENT_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...query } = c.req.valid("query");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(await listAuditEvents(ctx, query), 200);
};
