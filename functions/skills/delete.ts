import type { RouteHandler } from "@hono/zod-openapi";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { presentSkill, SkillIdParams, SkillSchema } from "./schemas";
import { retireSkill } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/skills/{id}",
  operationId: "deleteSkill",
  tags: ["Skills"],
  summary: "Retire a skill",
  description:
    "Platform administrators only. A skill is never removed: deleting it retires it. Profiles and " +
    "opportunities that hold it keep it (GET /v1/skills/{id} shows it with `retired: true`), but no matrix may " +
    "add it any more (400 on the field naming it); the catalog list leaves it out unless " +
    "`include_retired=true`. Answers 200 with the retired skill. Idempotent: retiring a retired skill answers " +
    "the same and writes nothing. PATCH `{retired: false}` restores it. Audited as `skill.retired` in the " +
    "platform's trail.",
  access: { scope: "create", platformAdmin: true },
  errors: [404],
  request: { params: SkillIdParams },
  responses: {
    200: { description: "The retired skill.", content: { "application/json": { schema: SkillSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  return c.json(presentSkill(await retireSkill(ctx, c.req.valid("param").id)), 200);
};
