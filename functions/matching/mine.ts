import type { RouteHandler } from "@hono/zod-openapi";
import { permissionDenied } from "../platform/errors";
import { listSchema, page } from "../platform/pagination";
import { type AppEnv, principalOf } from "../platform/request";
import { defineRoute } from "../platform/router";
import { OPPORTUNITY_MATCH_LIST_EXAMPLE } from "./examples";
import { MatchesQuery, OpportunityMatchSchema, presentOpportunityMatch, SCORE_TEXT } from "./schemas";
import { matchCursor, myVolunteerProfile, opportunitiesFor } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/users/me/matches",
  operationId: "listMyMatches",
  tags: ["Matching"],
  summary: "Open, public opportunities ranked for me, with the reasons",
  description:
    "The open, public opportunities of every organisation that require or prefer at least one of your skills " +
    "(one listing no skills matches nobody in particular: browse those in GET /v1/opportunities), whose " +
    "`min_hours_per_week` you can give and whose `work_environment` you accept; with `strict=true`, only those " +
    "whose every required skill you hold at its level. Each opportunity is scored with the weights of the " +
    `organisation delivering it. ${SCORE_TEXT} A 409 until you have a volunteer profile (PATCH /v1/users/me); ` +
    "it need not be discoverable. People only: a service account is 403.",
  access: { untenanted: true },
  errors: [403, 409],
  request: { query: MatchesQuery },
  responses: {
    200: {
      description: "Opportunities, best match first.",
      content: {
        "application/json": {
          schema: listSchema(OpportunityMatchSchema, "OpportunityMatchList"),
          example: OPPORTUNITY_MATCH_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = matchCursor(query.cursor);
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied("Only people have matches of their own.");
  const db = c.get("db");
  const me = await myVolunteerProfile(db, principal);
  const rows = await opportunitiesFor(db, me, { strict: query.strict === "true", after, limit: query.limit });
  const who = { practiceArea: me.practiceArea, maxHours: me.maxHoursPerWeek };
  return c.json(
    page(
      rows,
      query.limit,
      (row) => presentOpportunityMatch(row, who),
      (row) => Number(row.score),
    ),
    200,
  );
};
