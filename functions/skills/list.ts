import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { type AnyColumn, and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { skills } from "../../schema";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { PracticeAreaIdSchema, presentSkill, SKILL_LIST_EXAMPLE, SKILLS_MAX_AGE, SkillSchema } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/skills",
  operationId: "listSkills",
  tags: ["Skills"],
  summary: "Browse the skill catalog",
  description:
    "The curated skills skill matrices name, in alphabetical order (case-insensitive, then id). " +
    "`practice_area` keeps the skills of that area; `q` the skills whose name contains it, case-insensitively " +
    "(`%` and `_` are plain characters), names that start with it first. Retired skills are left out unless " +
    "`include_retired=true`. Pages follow `next_cursor` (the last skill's id: the next page starts after it " +
    `in the same order). Public and cacheable (\`Cache-Control: public, max-age=${SKILLS_MAX_AGE}\`, a strong ` +
    "`ETag` per page; `If-None-Match` → 304).",
  access: { public: true },
  request: {
    query: z.object({
      practice_area: PracticeAreaIdSchema.optional().openapi({
        param: { description: "Only the skills of this practice area (GET /v1/practice-areas)." },
      }),
      q: displayText({ min: 1, max: 50 })
        .optional()
        .openapi({ description: "Part of a name, any case: `sql` finds SQL, PostgreSQL and NoSQL (SQL first)." }),
      include_retired: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "`true`: retired skills too (shown with `retired: true`)." }),
      ...paginationQuery,
      limit: paginationQuery.limit.openapi({ description: "How many skills a page holds, 1 to 100 (default 20)." }),
    }),
    headers: ConditionalHeaders,
  },
  responses: cachedResponses(listSchema(SkillSchema, "SkillList").openapi({ example: SKILL_LIST_EXAMPLE }), "Skills."),
});

/** A LIKE pattern matching `text` literally (backslash is the default escape character). */
const literal = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = decodeCursor(query.cursor);
  // Names that start with `q` sort before names that merely contain it; then by name, then id.
  const keysOf = (table: { name: AnyColumn; id: AnyColumn }): SQL => {
    const byName = sql`lower(${table.name}), ${table.id}`;
    if (query.q === undefined) return byName;
    return sql`(case when ${table.name} ilike ${`${literal(query.q)}%`} then 0 else 1 end), ${byName}`;
  };
  const conditions: (SQL | undefined)[] = [];
  if (query.include_retired !== "true") conditions.push(isNull(skills.retiredAt));
  if (query.practice_area) conditions.push(sql`${skills.practiceAreas} @> array[${query.practice_area}]::text[]`);
  if (query.q !== undefined) conditions.push(sql`${skills.name} ilike ${`%${literal(query.q)}%`}`);
  if (after) {
    // The next page starts after the cursor's skill in this very order (ranked by this `q`).
    const last = alias(skills, "last_skill");
    const from = sql`${skills} as ${sql.identifier("last_skill")}`;
    conditions.push(sql`(${keysOf(skills)}) > (select ${keysOf(last)} from ${from} where ${eq(last.id, after)})`);
  }
  const rows = await c
    .get("db")
    .select()
    .from(skills)
    .where(and(...conditions))
    .orderBy(keysOf(skills))
    .limit(query.limit + 1);
  const body = page(rows, query.limit, presentSkill);
  if (await isNotModified(c, body, SKILLS_MAX_AGE)) return c.body(null, 304);
  return c.json(body, 200);
};
