import { z } from "@hono/zod-openapi";
import { type OpportunityInterest, PRACTICE_AREAS, type PracticeArea } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { displayText } from "../platform/text";

export const MAX_INTEREST_MESSAGE = 1000;

export const OpportunityIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({
    param: { name: "id", in: "path" },
    description: "The opportunity's id (`opp_...`); another prefix is a 400.",
  }),
});

export const ExpressInterestBody = z
  .strictObject({
    message: displayText({ max: MAX_INTEREST_MESSAGE, multiline: true })
      .optional()
      .openapi({
        description:
          `A note to the organisation, up to ${MAX_INTEREST_MESSAGE} characters; line breaks are kept, HTML is ` +
          "stripped. Empty when left out. The first one stands: a second call changes nothing.",
      }),
  })
  .openapi("ExpressInterest", {
    example: { message: "I run data workshops for small charities and could help on Monday evenings." },
  });

/** An interest with who expressed it: their name and email now, and their profile's practice area. */
export interface InterestView {
  interest: OpportunityInterest;
  name: string | null;
  email: string | null;
  practiceArea: PracticeArea | null;
}

/** An interest as the organisation sees it (the example of its schema and of its list). */
const INTEREST_EXAMPLE = {
  id: "oint_01h455vb4pex5vsknk084sn02q",
  object: "opportunity_interest" as const,
  opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
  user_id: "usr_01h455vb4pex5vsknk084sn02q",
  name: "Dana Okafor",
  email: "dana@example.com",
  practice_area: "data_science" as const,
  message: "I run data workshops for small charities and could help on Monday evenings.",
  created_at: "2026-06-01T09:30:00.000Z",
};

export const OpportunityInterestSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.opportunity_interest).openapi({ description: "The interest's id." }),
    object: z.literal("opportunity_interest").openapi({ description: "Always `opportunity_interest`." }),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity).openapi({ description: "The opportunity of interest." }),
    user_id: typeIdOut(ID_PREFIX.user).openapi({ description: "The volunteer who expressed it." }),
    name: z
      .string()
      .max(200)
      .nullable()
      .openapi({ description: "The volunteer's current name; null when they have none." }),
    email: z.string().max(320).nullable().openapi({
      description:
        "The volunteer's current email, shared with the organisation because they expressed interest; null when they have none (known by phone only).",
    }),
    practice_area: z
      .enum(PRACTICE_AREAS)
      .nullable()
      .openapi({ description: "From the volunteer's profile (GET /v1/practice-areas); null when it names none." }),
    message: z
      .string()
      .max(MAX_INTEREST_MESSAGE)
      .openapi({ description: "The volunteer's note, as first given; empty when there is none." }),
    created_at: timestampOut().openapi({ description: "When the interest was expressed (ISO 8601, UTC)." }),
  })
  .openapi("OpportunityInterest", { example: INTEREST_EXAMPLE });

export const INTEREST_LIST_EXAMPLE = { object: "list", data: [INTEREST_EXAMPLE], has_more: false, next_cursor: null };

export function presentInterest(view: InterestView) {
  const { interest } = view;
  return {
    id: toTypeId(ID_PREFIX.opportunity_interest, interest.id),
    object: "opportunity_interest" as const,
    opportunity_id: toTypeId(ID_PREFIX.opportunity, interest.opportunityId),
    user_id: toTypeId(ID_PREFIX.user, interest.userId),
    name: view.name,
    email: view.email,
    practice_area: view.practiceArea,
    message: interest.message,
    created_at: interest.createdAt.toISOString(),
  };
}
