import type { RouteHandler } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import { usageOf } from "../platform/plans";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams, OrganisationPlanSchema, presentPlan } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/organisations/{id}/plan",
  operationId: "getOrganisationPlan",
  tags: ["Organisations"],
  summary: "What the organisation's plan allows, and what it uses now",
  description:
    "Any member. The plan with the overrides a platform administrator set: each feature on or off, each quota's " +
    "limit (null: unlimited) and live usage, the rate limit per credential, the audit retention and where to " +
    "upgrade. Not gated by any feature, so a client can always show why something was refused.",
  access: {},
  request: { params: OrganisationIdParams },
  responses: {
    200: {
      description: "The plan, with usage counted now.",
      content: { "application/json": { schema: OrganisationPlanSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row, ctx } = await tenancy(c).load(organisations, c.req.valid("param").id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  const usage = await usageOf(ctx.db, row.id);
  return c.json(presentPlan(row.id, ctx.plan, row.planOverrides ?? {}, usage, ctx.upgradeUrl), 200);
};
