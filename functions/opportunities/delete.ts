import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachOpportunity } from "./reach";
import { OpportunityIdParams } from "./schemas";
import { deleteOpportunity } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/opportunities/{id}",
  operationId: "deleteOpportunity",
  tags: ["Opportunities"],
  summary: "Delete a draft opportunity",
  description:
    "Only a `draft` can be deleted (409 otherwise: close it instead); its payment and deliver units go with it. " +
    "By the delivering organisation (`opportunities:write`) or the program's (`programs:write`).",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: { params: OpportunityIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  await deleteOpportunity(await reachOpportunity(c, c.req.valid("param").id, { write: true }));
  return c.body(null, 204);
};
