import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { skills } from "../../schema";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { presentSkill, SKILLS_MAX_AGE, SkillIdParams, SkillSchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/skills/{id}",
  operationId: "getSkill",
  tags: ["Skills"],
  summary: "Get a skill",
  description:
    "Any skill of the catalog, retired ones included (`retired: true` with its `retired_at`): a skill matrix " +
    "that holds a retired skill keeps it, so its id must stay resolvable. An unknown id is 404. Public and " +
    `cacheable (\`Cache-Control: public, max-age=${SKILLS_MAX_AGE}\`, a strong \`ETag\`; \`If-None-Match\` → 304).`,
  access: { public: true },
  errors: [404],
  request: { params: SkillIdParams, headers: ConditionalHeaders },
  responses: cachedResponses(SkillSchema, "The skill."),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const [row] = await c
    .get("db")
    .select()
    .from(skills)
    .where(eq(skills.id, c.req.valid("param").id))
    .limit(1);
  if (!row) throw notFound("skill");
  const body = presentSkill(row);
  if (await isNotModified(c, body, SKILLS_MAX_AGE)) return c.body(null, 304);
  return c.json(body, 200);
};
