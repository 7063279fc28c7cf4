import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { practiceAreasInput, presentSkill, SkillSchema, skillDescription, skillName } from "./schemas";
import { createSkill } from "./service";

const CreateSkillBody = z
  .strictObject({
    name: skillName(),
    description: skillDescription()
      .default("")
      .openapi({ description: "What the skill covers: up to 500 characters; empty by default." }),
    practice_areas: practiceAreasInput(),
  })
  .openapi("CreateSkill", {
    example: {
      name: "DuckDB",
      description: "Fast analytical SQL over local files and data frames.",
      practice_areas: ["data_science", "engineering"],
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/skills",
  operationId: "createSkill",
  tags: ["Skills"],
  summary: "Add a skill to the catalog",
  description:
    "Platform administrators only. The name (at most 50 characters) is unique case-insensitively: a name " +
    "already taken (`python` when `Python` exists) is 409 with the `existing_id`. `practice_areas` names 1–5 of " +
    "the five, each once. Recorded in the platform's audit trail as `skill.created`.",
  access: { scope: "create", platformAdmin: true },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateSkillBody } } } },
  responses: {
    201: { description: "The skill.", content: { "application/json": { schema: SkillSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  return c.json(presentSkill(await createSkill(ctx, c.req.valid("json"))), 201);
};
