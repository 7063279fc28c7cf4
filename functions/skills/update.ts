import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { practiceAreasInput, presentSkill, SkillIdParams, SkillSchema, skillDescription, skillName } from "./schemas";
import { updateSkill } from "./service";

const UpdateSkillBody = z
  .strictObject({
    name: skillName().optional(),
    description: skillDescription().optional(),
    practice_areas: practiceAreasInput().optional(),
    retired: z.boolean().optional().openapi({
      description: "`false` brings a retired skill back (new matrices may add it again); `true` retires it.",
    }),
  })
  .openapi("UpdateSkill", {
    example: {
      description: "Scheduling, running and monitoring data pipelines as code.",
      practice_areas: ["data_science", "devops"],
      retired: false,
    },
  });

export const route = defineRoute({
  method: "patch",
  path: "/v1/skills/{id}",
  operationId: "updateSkill",
  tags: ["Skills"],
  summary: "Change a skill, or retire or restore it",
  description:
    "Platform administrators only. A new name must be free case-insensitively (409 with the `existing_id`); " +
    "changing only its case is a rename. Matrices refer to skills by id, so they keep it. `practice_areas` " +
    "replaces the list. `retired: true` retires it as DELETE does; `retired: false` restores a retired skill. " +
    "A PATCH that changes nothing writes nothing. Audited as `skill.retired` when it retires the skill, " +
    "`skill.updated` otherwise, in the platform's trail.",
  access: { scope: "create", platformAdmin: true },
  errors: [404, 409],
  request: {
    params: SkillIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateSkillBody } } },
  },
  responses: {
    200: { description: "The skill.", content: { "application/json": { schema: SkillSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  return c.json(presentSkill(await updateSkill(ctx, c.req.valid("param").id, c.req.valid("json"))), 200);
};
