import type { RouteHandler } from "@hono/zod-openapi";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { PRACTICE_AREA_LIST, PRACTICE_AREAS_MAX_AGE, PracticeAreaListSchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/practice-areas",
  operationId: "listPracticeAreas",
  tags: ["Skills"],
  summary: "The five practice areas, with their job titles",
  description:
    "The communities of practice, fixed: `data_science` (Data Science), `engineering` (Engineering), `devops` " +
    "(DevOps), `project_management` (Project/Product Management) and `ui_ux` (UI/UX), in that order, each with " +
    "the job titles people in it usually hold. A profile's `practice_area` and a skill's `practice_areas` name " +
    "them by `id`. The whole list in one response: no pagination. Public and cacheable (`Cache-Control: " +
    `public, max-age=${PRACTICE_AREAS_MAX_AGE}\`, a strong \`ETag\`; \`If-None-Match\` → 304).`,
  access: { public: true },
  request: { headers: ConditionalHeaders },
  responses: cachedResponses(PracticeAreaListSchema, "The five practice areas."),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  if (await isNotModified(c, PRACTICE_AREA_LIST, PRACTICE_AREAS_MAX_AGE)) return c.body(null, 304);
  return c.json(PRACTICE_AREA_LIST, 200);
};
