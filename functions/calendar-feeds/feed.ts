import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { entityTag, noneMatchHits } from "../platform/caching";
import { notFound } from "../platform/errors";
import { onBehalfOf, type StoredPrincipal } from "../platform/on-behalf";
import type { AccessRule } from "../platform/permissions";
import { type AppEnv, requestMeta } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { renderCalendar } from "./ics";
import { FEED_TOKEN } from "./schemas";
import { feedContents, feedOfToken } from "./service";

/** A fetch is let in as the feed's maker: their standing now, the plan's feature, the allowlist for the fetcher. */
const FEED_RULE: AccessRule = { feature: "calendar_sync" };

export const route = defineRoute({
  method: "get",
  path: "/v1/calendar-feeds/{feed}.ics",
  operationId: "getCalendarFeed",
  tags: ["Calendar feeds"],
  summary: "A calendar feed (iCalendar)",
  description:
    "The URL a calendar subscribes to (`url` of the created feed): iCalendar (RFC 5545) with the time zones its " +
    "meetings use. It shows what the feed's maker may see now; it is a 404 once the feed is deleted or its maker " +
    "has left, a 403 `feature_not_in_plan` while the plan lacks `calendar_sync`, and, for an organisation with an " +
    "IP allowlist, a 403 `ip_not_allowed` for a calendar service fetching from elsewhere. `ETag` and " +
    "`If-None-Match` give 304 while nothing changed.",
  // The feature is enforced on the maker's behalf (FEED_RULE); declared here so x-access shows the gate.
  access: { public: true, feature: FEED_RULE.feature },
  errors: [404],
  refusals: ["ip_not_allowed"],
  request: {
    params: z.object({
      feed: z
        .string()
        .max(60)
        .regex(FEED_TOKEN, "must be a feed's token (43 characters of base64url)")
        .openapi({
          param: { name: "feed", in: "path" },
          description: "The feed's secret token, as its URL carries it.",
        }),
    }),
  },
  responses: {
    200: {
      description: "The calendar.",
      headers: { ETag: { description: "The body's digest.", schema: { type: "string", maxLength: 100 } } },
      content: {
        "text/calendar": {
          schema: z.string().max(20_000_000).openapi({ description: "BEGIN:VCALENDAR … END:VCALENDAR" }),
        },
      },
    },
    304: { description: "Not modified since the `ETag` sent in `If-None-Match`." },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const feed = await feedOfToken(c.get("db"), c.req.valid("param").feed);
  if (!feed) throw notFound("calendar feed");
  const asMaker = onBehalfOf(c.env, c.get("db"), {
    principal: feed.principal as StoredPrincipal,
    meta: requestMeta(c),
    rule: FEED_RULE,
  });
  const ctx = await tenancy(asMaker)
    .enter(feed.organisationId)
    .catch((error) => {
      // The maker left, or their credential was revoked: as far as anyone can tell, the feed is gone.
      const status = (error as { status?: number }).status;
      throw status === 401 || status === 404 ? notFound("calendar feed") : error;
    });
  const text = renderCalendar(feed, await feedContents(ctx, feed));
  const tag = await entityTag({ text });
  const headers = { ETag: tag, "Cache-Control": "private, no-cache" };
  if (noneMatchHits(c.req.header("if-none-match"), tag)) return c.body(null, 304, headers) as never;
  return c.body(text, 200, { ...headers, "Content-Type": "text/calendar; charset=utf-8" }) as never;
};
