import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, toTypeId, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CalendarStatusSchema } from "./schemas";
import { countFeeds } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/calendar/status",
  operationId: "getCalendarStatus",
  tags: ["Calendar feeds"],
  summary: "Whether calendar feeds are available",
  description:
    "For any member, whatever the plan (it is how a client learns whether to offer feeds): whether the plan " +
    "includes `calendar_sync`, how many feeds the organisation has, and a sentence saying so.",
  access: {},
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
    }),
  },
  responses: {
    200: {
      description: "The organisation's calendar status.",
      content: { "application/json": { schema: CalendarStatusSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await tenancy(c).enter(c.req.valid("query").organisation_id);
  const included = ctx.plan.features.calendar_sync;
  const feeds = await countFeeds(ctx);
  const count = `${feeds} ${feeds === 1 ? "is" : "are"} set up`;
  return c.json(
    {
      object: "calendar_status" as const,
      organisation_id: toTypeId(ID_PREFIX.organisation, ctx.organisationId),
      plan: ctx.plan.name,
      calendar_sync: included,
      feeds,
      message: included
        ? `Your plan includes calendar feeds; ${count}.`
        : `The ${ctx.plan.name} plan does not include calendar feeds (${count}, and they answer 403 until the plan includes them).`,
      upgrade_url: included ? null : ctx.upgradeUrl,
    },
    200,
  );
};
