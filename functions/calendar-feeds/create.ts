import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { principalOf } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { CreateCalendarFeedBody, CreatedCalendarFeedSchema, presentCalendarFeed } from "./schemas";
import { createCalendarFeed, MAX_FEED_OPPORTUNITIES, MAX_FEED_PROGRAMS } from "./service";

export const route = defineRoute({
  method: "post",
  path: "/v1/calendar-feeds",
  operationId: "createCalendarFeed",
  tags: ["Calendar feeds"],
  summary: "Make a calendar feed (its URL is shown once)",
  description:
    "A subscription URL for Google Calendar, Outlook, Apple Calendar or any app that takes one: programs as " +
    "all-day spans, opportunities with their dates and weekly meeting times. The feed shows what you may see, " +
    "as you stand when the calendar fetches it (your access list; nothing once you leave the organisation), " +
    `up to ${MAX_FEED_PROGRAMS} programs and ${MAX_FEED_OPPORTUNITIES} opportunities, earliest first. A program ` +
    "or opportunity feed names it in `scope_id`; one you may not see is a 400. The URL is shown once and only a " +
    "digest of its token is kept. Audited (`calendar_feed.created`).",
  access: { scope: "create", permission: "calendar:write", feature: "calendar_sync" },
  request: { body: { required: true, content: { "application/json": { schema: CreateCalendarFeedBody } } } },
  responses: {
    201: {
      description: "The feed, with its URL.",
      content: { "application/json": { schema: CreatedCalendarFeedSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  const { feed, token } = await createCalendarFeed(ctx, principalOf(c), input);
  const url = `${new URL(c.req.url).origin}/v1/calendar-feeds/${token}.ics`;
  return c.json({ ...presentCalendarFeed(feed), url }, 201);
};
