import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, gt, type SQL } from "drizzle-orm";
import { calendarFeeds } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CALENDAR_FEED_EXAMPLE, CalendarFeedSchema, presentCalendarFeed } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/calendar-feeds",
  operationId: "listCalendarFeeds",
  tags: ["Calendar feeds"],
  summary: "List the organisation's calendar feeds",
  description:
    "Every feed of the organisation, oldest first, with who made it, and never its URL. Not gated by the plan, " +
    "so feeds can still be found and deleted after a downgrade.",
  access: { permission: "calendar:write" },
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
      ...paginationQuery,
    }),
  },
  responses: {
    200: {
      description: "Feeds, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(CalendarFeedSchema, "CalendarFeedList"),
          example: { object: "list", data: [CALENDAR_FEED_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  const ctx = await tenancy(c).enter(query.organisation_id);
  const conditions: SQL[] = [ctx.scope(calendarFeeds.organisationId)];
  if (after) conditions.push(gt(calendarFeeds.id, after));
  const rows = await ctx.db
    .select()
    .from(calendarFeeds)
    .where(and(...conditions))
    .orderBy(asc(calendarFeeds.id))
    .limit(query.limit + 1);
  return c.json(page(rows, query.limit, presentCalendarFeed), 200);
};
