import type { RouteHandler } from "@hono/zod-openapi";
import { reachOpportunity } from "../opportunities/reach";
import { listSchema, page } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { VOLUNTEER_MATCH_LIST_EXAMPLE } from "./examples";
import {
  MatchesQuery,
  OpportunityMatchParams,
  presentVolunteerMatch,
  SCORE_TEXT,
  VolunteerMatchSchema,
} from "./schemas";
import { matchCursor, volunteersFor } from "./service";

export const route = defineRoute({
  method: "get",
  path: "/v1/opportunities/{id}/matches",
  operationId: "listOpportunityMatches",
  tags: ["Matching"],
  summary: "Volunteers ranked for an opportunity, with the reasons",
  description:
    "Discoverable volunteers who hold at least one of the opportunity's required skills (every discoverable " +
    "volunteer when it requires none), can give at least its `min_hours_per_week` and accept its " +
    "`work_environment`; with `strict=true`, only those holding every required skill at its level. Whatever the " +
    "opportunity's status (rank volunteers before opening it). Each carries the name, the practice area, the " +
    "levels of the opportunity's skills only and the weekly availability overlap — never an email (a volunteer " +
    "shares theirs by expressing interest). For members of the delivering organisation with " +
    "`opportunities:write`, or of the program's with `programs:write`; scored with the delivering organisation's " +
    `weights. ${SCORE_TEXT} Computed in the database from indexed skills: the population is never loaded.`,
  access: { permission: "opportunities:write" },
  errors: [404],
  request: { params: OpportunityMatchParams, query: MatchesQuery },
  responses: {
    200: {
      description: "Volunteers, best match first.",
      content: {
        "application/json": {
          schema: listSchema(VolunteerMatchSchema, "VolunteerMatchList"),
          example: VOLUNTEER_MATCH_LIST_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  const after = matchCursor(query.cursor);
  const reached = await reachOpportunity(c, id, { write: true });
  const rows = await volunteersFor(reached.ctx.db, reached, {
    strict: query.strict === "true",
    after,
    limit: query.limit,
  });
  const minHours = reached.opportunity.minHoursPerWeek;
  return c.json(
    page(
      rows.map((row) => ({ ...row, id: row.user_id })),
      query.limit,
      (row) => presentVolunteerMatch(row, minHours),
      (row) => Number(row.score),
    ),
    200,
  );
};
