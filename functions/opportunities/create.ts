import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CreateOpportunityBody } from "./bodies";
import { OpportunitySchema, presentOpportunity } from "./schemas";
import { createOpportunity } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/opportunities",
  operationId: "createOpportunity",
  tags: ["Opportunities"],
  summary: "Create an opportunity (a draft)",
  description:
    "The delivering organisation (`organisation_id`) creates it as a `draft`. **Standalone** (no `program_id`): " +
    "a `total_budget` needs a `currency`. **Managed** (with `program_id`): the organisation must own the program " +
    "or have an `accepted` application to it (another status: 403; a program it cannot see: 404). It takes the " +
    "program's currency, country and delivery type (a different value given is a 400 on that field); its dates " +
    "lie within the program's (a missing `end_date` is the program's); its `total_budget` fits in what the " +
    "program has left after its other opportunities, checked under the program's lock so that concurrent " +
    "creates cannot overspend it (400 on `total_budget` naming what is left). `required_skills` and " +
    "`preferred_skills` (`{skill_id: level}`, at most 30 each) name skills of the catalog that are not retired, " +
    "none in both (400 on `<map>.<skill id>`); they are stored with the opportunity, in the same transaction.",
  access: { scope: "create", permission: "opportunities:write" },
  request: { body: { required: true, content: { "application/json": { schema: CreateOpportunityBody } } } },
  responses: {
    201: { description: "The opportunity.", content: { "application/json": { schema: OpportunitySchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const ctx = await tenancy(c).enter(input.organisation_id);
  return c.json(presentOpportunity(await createOpportunity(ctx, input)), 201);
};
