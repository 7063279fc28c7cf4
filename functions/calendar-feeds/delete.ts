import type { RouteHandler } from "@hono/zod-openapi";
import { calendarFeeds } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CalendarFeedIdParams } from "./schemas";
import { deleteCalendarFeed } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/calendar-feeds/{id}",
  operationId: "deleteCalendarFeed",
  tags: ["Calendar feeds"],
  summary: "Delete a calendar feed (its URL stops working at once)",
  description:
    "By its maker, the owner or an admin (anyone else with `calendar:write` gets 403). The next fetch of its URL " +
    "is a 404. Not gated by the plan. Audited (`calendar_feed.deleted`).",
  access: { scope: "create", permission: "calendar:write" },
  request: { params: CalendarFeedIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row, ctx } = await tenancy(c).load(calendarFeeds, c.req.valid("param").id, { what: "calendar feed" });
  await deleteCalendarFeed(ctx, row);
  return c.body(null, 204);
};
