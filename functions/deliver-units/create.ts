import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { DeliverUnitSchema, deliverUnitSlug, presentDeliverUnit } from "./schemas";
import { createDeliverUnit } from "./service";

const CreateDeliverUnitBody = z
  .strictObject({
    opportunity_id: typeIdSchema(ID_PREFIX.opportunity).openapi({ description: "The opportunity that asks for it." }),
    name: displayText({ min: 1, max: 100 }).openapi({
      description: "The deliver unit's name: 1 to 100 characters on one line; HTML is stripped.",
    }),
    slug: deliverUnitSlug(),
    payment_unit_id: typeIdSchema(ID_PREFIX.payment_unit).nullable().optional().openapi({
      description: "A payment unit of the same opportunity it is paid through (400 otherwise); null or left out: none.",
    }),
    optional: z
      .boolean()
      .default(false)
      .openapi({ description: "Whether a worker may leave it out (default false: required)." }),
  })
  .openapi("CreateDeliverUnit", {
    example: {
      opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
      name: "Household survey form",
      slug: "household-survey",
      payment_unit_id: "pu_01h455vb4pex5vsknk084sn02q",
      optional: false,
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/deliver-units",
  operationId: "createDeliverUnit",
  tags: ["Deliver units"],
  summary: "Create a deliver unit of an opportunity",
  description:
    "The slug is unique within the opportunity (409 with `existing_id`). A payment unit of another opportunity is " +
    "400 on `payment_unit_id`. Managed opportunities are managed from either side: the delivering organisation " +
    "with `opportunities:write`, or the program's organisation with `programs:write`.",
  access: { scope: "create", permission: "opportunities:write" },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateDeliverUnitBody } } } },
  responses: {
    201: { description: "The deliver unit.", content: { "application/json": { schema: DeliverUnitSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { opportunity_id, ...input } = c.req.valid("json");
  const { ctx, opportunity } = await reachOpportunity(c, opportunity_id);
  return c.json(presentDeliverUnit(await createDeliverUnit(ctx, opportunity.id, input)), 201);
};
