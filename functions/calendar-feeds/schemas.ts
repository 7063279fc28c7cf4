import { z } from "@hono/zod-openapi";
import { CALENDAR_FEED_SCOPES, type CalendarFeed } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { secretFields } from "../platform/secrets";
import { displayText } from "../platform/text";

/** The URL's secret part: 32 random bytes, base64url. */
export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const CalendarFeedIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.calendar_feed).openapi({
    param: { name: "id", in: "path" },
    description: "The feed's id.",
  }),
});

export const CreateCalendarFeedBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it." }),
    name: displayText({ min: 1, max: 200 }).openapi({ description: "What the calendar app shows as its name." }),
    scope: z.enum(CALENDAR_FEED_SCOPES).openapi({
      description:
        "`organisation`: its programs and opportunities; `program`: one program and its opportunities; " +
        "`opportunity`: one opportunity. Always within what you may see.",
    }),
    scope_id: z
      .string()
      .max(90)
      .optional()
      .openapi({
        description:
          "Required with `program` or `opportunity` scope: its id (`prg_…` or `opp_…`), one you may see (else 400); " +
          "left out with `organisation` scope (else 400).",
      }),
  })
  .openapi("CreateCalendarFeed", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "Muster: Spring program",
      scope: "organisation",
    },
  });

export const CALENDAR_FEED_EXAMPLE = {
  id: "calf_01h455vb4pex5vsknk084sn02q",
  object: "calendar_feed",
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  name: "Muster: Spring program",
  scope: "organisation",
  scope_id: null,
  created_by: "usr_01h455vb4pex5vsknk084sn02q",
  created_at: "2026-01-31T12:00:00.000Z",
};

export const CalendarFeedSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.calendar_feed).openapi({ description: "The feed's id (`calf_...`)." }),
    object: z.literal("calendar_feed").openapi({ description: "Always `calendar_feed`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation it shows." }),
    name: z.string().max(200).openapi({ description: "What the calendar app shows as its name." }),
    scope: z.enum(CALENDAR_FEED_SCOPES).openapi({
      description: "`organisation`, `program` or `opportunity`: how much of the organisation it shows.",
    }),
    scope_id: z
      .string()
      .max(90)
      .nullable()
      .openapi({ description: "The program or opportunity shown; null for `organisation`." }),
    created_by: z
      .string()
      .max(90)
      .nullable()
      .openapi({ description: "The person (`usr_…`) or service account (`sa_…`) whose access the feed shows." }),
    created_at: timestampOut().openapi({ description: "When it was made." }),
  })
  .openapi("CalendarFeed", {
    example: CALENDAR_FEED_EXAMPLE,
  });

export const CreatedCalendarFeedSchema = CalendarFeedSchema.extend(
  secretFields({
    url: z
      .url()
      .max(300)
      .openapi({
        description:
          "The subscription URL (`…/v1/calendar-feeds/<token>.ics`). Shown once: only a digest of its token is kept. " +
          "Anyone with it sees the feed, so share it like a password; delete the feed to stop it.",
      }),
  }),
).openapi("CreatedCalendarFeed", {
  example: {
    id: "calf_01h455vb4pex5vsknk084sn02q",
    object: "calendar_feed",
    organisation_id: "org_01h455vb4pex5vsknk084sn02q",
    name: "Muster: Spring program",
    scope: "organisation",
    scope_id: null,
    created_by: "usr_01h455vb4pex5vsknk084sn02q",
    created_at: "2026-01-31T12:00:00.000Z",
    url: "https://api.muster.dev/v1/calendar-feeds/wkrZebGnIekQAdQ1vJNYom5KRti8P4zvqrHHXVw1nu4.ics",
  },
});

export function presentCalendarFeed(feed: CalendarFeed): z.infer<typeof CalendarFeedSchema> {
  return {
    id: toTypeId(ID_PREFIX.calendar_feed, feed.id),
    object: "calendar_feed",
    organisation_id: toTypeId(ID_PREFIX.organisation, feed.organisationId),
    name: feed.name,
    scope: feed.scope,
    scope_id: feed.programId
      ? toTypeId(ID_PREFIX.program, feed.programId)
      : feed.opportunityId
        ? toTypeId(ID_PREFIX.opportunity, feed.opportunityId)
        : null,
    created_by: feed.userId
      ? toTypeId(ID_PREFIX.user, feed.userId)
      : feed.serviceAccountId
        ? toTypeId(ID_PREFIX.service_account, feed.serviceAccountId)
        : null,
    created_at: feed.createdAt.toISOString(),
  };
}

export const CalendarStatusSchema = z
  .object({
    object: z.literal("calendar_status").openapi({ description: "Always `calendar_status`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation asked about." }),
    plan: z.string().max(40).openapi({ description: "The organisation's plan (`free`, `pro` or `enterprise`)." }),
    calendar_sync: z.boolean().openapi({ description: "Whether the plan includes calendar feeds." }),
    feeds: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .openapi({ format: "int32", description: "Feeds of the organisation." }),
    message: z.string().max(300).openapi({ description: "The same, as a sentence a person can read." }),
    upgrade_url: z
      .url()
      .max(300)
      .nullable()
      .openapi({ description: "Where to get `calendar_sync`, when the plan lacks it." }),
  })
  .openapi("CalendarStatus", {
    example: {
      object: "calendar_status",
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      plan: "pro",
      calendar_sync: true,
      feeds: 2,
      message: "Your plan includes calendar feeds; 2 are set up.",
      upgrade_url: null,
    },
  });
