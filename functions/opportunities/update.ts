import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { UpdateOpportunityBody } from "./bodies";
import { reachOpportunity } from "./reach";
import { OpportunityIdParams, OpportunitySchema, presentOpportunity } from "./schemas";
import { updateOpportunity } from "./service";

export const route = defineRoute({
  method: "patch",
  path: "/v1/opportunities/{id}",
  operationId: "updateOpportunity",
  tags: ["Opportunities"],
  summary: "Change an opportunity or move its status",
  description:
    "By the delivering organisation (`opportunities:write`) or, for a managed one, the program's " +
    "(`programs:write`). `status` moves it: draft → open, open ↔ on_hold, open or on_hold → closed or filled; " +
    "any other move is a 409 naming the current and requested status. Opening needs an opportunity that has not " +
    "ended and, when managed, at least one payment unit (409 saying which). `closed` and `filled` are final: any " +
    "change is then a 409. A managed opportunity keeps its program's currency, country and delivery type, dates " +
    "within the program's and a budget within what the program has left (400 on the field). A standalone one " +
    "with payment units keeps its currency (409). Dates that would leave a payment unit outside are a 409. " +
    "`required_skills` or `preferred_skills` replaces that map (the other stays): a skill already in the other " +
    "map, unknown or retired is a 400 on `<map>.<skill id>`, except a retired skill the opportunity holds, which " +
    "may stay. Changing `meeting_times` recomputes the UTC week minutes matching compares.",
  access: { scope: "create", permission: "opportunities:write", quotas: ["open_opportunities"] },
  errors: [409],
  request: {
    params: OpportunityIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateOpportunityBody } } },
  },
  responses: {
    200: { description: "The opportunity.", content: { "application/json": { schema: OpportunitySchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const reached = await reachOpportunity(c, c.req.valid("param").id, { write: true });
  return c.json(presentOpportunity(await updateOpportunity(reached, c.req.valid("json"))), 200);
};
