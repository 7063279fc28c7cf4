import { z } from "@hono/zod-openapi";
import { type OpportunityInterest, PRACTICE_AREAS, type PracticeArea } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { displayText } from "../platform/text";

export const MAX_INTEREST_MESSAGE = 1000;

export const OpportunityIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.opportunity).openapi({ param: { name: "id", in: "path" } }),
});

export const ExpressInterestBody = z
  .strictObject({
    message: displayText({ max: MAX_INTEREST_MESSAGE, multiline: true })
      .optional()
      .openapi({ description: "A note to the organisation (the first one stands: a second call changes nothing)." }),
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

export const OpportunityInterestSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.opportunity_interest),
    object: z.literal("opportunity_interest"),
    opportunity_id: typeIdOut(ID_PREFIX.opportunity),
    user_id: typeIdOut(ID_PREFIX.user),
    name: z.string().max(200).nullable(),
    email: z
      .string()
      .max(320)
      .nullable()
      .openapi({ description: "Shared with the organisation because the volunteer expressed interest." }),
    practice_area: z.enum(PRACTICE_AREAS).nullable().openapi({ description: "From the volunteer's profile." }),
    message: z.string().max(MAX_INTEREST_MESSAGE),
    created_at: timestampOut(),
  })
  .openapi("OpportunityInterest", {
    example: {
      id: "oint_01h455vb4pex5vsknk084sn02q",
      object: "opportunity_interest",
      opportunity_id: "opp_01h455vb4pex5vsknk084sn02q",
      user_id: "usr_01h455vb4pex5vsknk084sn02q",
      name: "Dana Okafor",
      email: "dana@example.com",
      practice_area: "data_science",
      message: "I run data workshops for small charities and could help on Monday evenings.",
      created_at: "2026-06-01T09:30:00.000Z",
    },
  });

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
