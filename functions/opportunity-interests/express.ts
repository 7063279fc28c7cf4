import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { selfContext } from "../users/service";
import { ExpressInterestBody, OpportunityIdParams, OpportunityInterestSchema, presentInterest } from "./schemas";
import { expressInterest } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/opportunities/{id}:express-interest",
  operationId: "expressInterestInOpportunity",
  tags: ["Opportunity interests"],
  summary: "Tell an opportunity's organisation you are interested (sharing your contact)",
  description:
    "For an opportunity of the public catalog (`open` and `public`; any other is 404, as it is to anyone " +
    "browsing; one whose `end_date` has passed is 400 `opportunity_ended`). You need a volunteer profile " +
    "(`PATCH /v1/users/me`): without one, 409 `conflict`. Your name, email and practice area are then shared with " +
    "the delivering organisation's members who hold `opportunities:write` (GET /v1/opportunities/{id}/interests): " +
    "that is the point. Once per person and opportunity: the first call is 201 and audited " +
    "(`opportunity_interest.expressed`, in the delivering organisation's trail); a later call is 200 with the " +
    "interest already there (its first message stands) and writes nothing. People only: a service account is 403.",
  access: { scope: "create", untenanted: true },
  errors: [404],
  optionalBody: true,
  request: {
    params: OpportunityIdParams,
    body: { required: false, content: { "application/json": { schema: ExpressInterestBody } } },
  },
  responses: {
    201: {
      description: "Your interest, recorded now.",
      content: { "application/json": { schema: OpportunityInterestSchema } },
    },
    200: {
      description: "Your interest, as you expressed it before.",
      content: { "application/json": { schema: OpportunityInterestSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = selfContext(c, "Only people express interest; a service account has no contact to share.");
  const body = c.req.header("content-type") ? c.req.valid("json") : ExpressInterestBody.parse({});
  const { view, created } = await expressInterest(ctx, c.req.valid("param").id, body);
  return c.json(presentInterest(view), created ? 201 : 200);
};
