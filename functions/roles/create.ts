import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleSchema } from "./schemas";
import { createRole } from "./service";

const CreateRoleBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it." }),
    name: displayText({ min: 1, max: 100 }).openapi({
      description: "1-100 characters, one line, unique in the organisation (else 409).",
    }),
    description: displayText({ max: 500, multiline: true })
      .default("")
      .openapi({ description: "What the role is for, up to 500 characters; default empty." }),
    permissions: z
      .array(GrantablePermission)
      .max(50)
      .default([])
      .openapi({
        description:
          "Permissions from the catalogue, except the owner's own (`organisations:delete`, `organisations:transfer`); " +
          "duplicates count once; default none. Only ones you hold yourself, unless you have global access (403).",
      }),
    global_access: z.boolean().default(false).openapi({
      description:
        "Access to every program without grants. Default false; true only by a person who has global access (403).",
    }),
  })
  .openapi("CreateRole", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "Coordinator",
      description: "Invites volunteers and runs opportunities.",
      permissions: ["invitations:write", "opportunities:write"],
      global_access: false,
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/roles",
  operationId: "createRole",
  tags: ["Roles"],
  summary: "Create a custom role",
  description:
    "Needs `roles:write`, token scope `create`, the `custom_roles` feature and room in the `custom_roles` quota. " +
    "Nobody grants permissions they do not hold, and only a person with global access creates a global-access " +
    "role (403 otherwise). A name already used in the organisation is 409.",
  access: { scope: "create", permission: "roles:write", feature: "custom_roles", quotas: ["custom_roles"] },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateRoleBody } } } },
  responses: { 201: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(presentRole(await createRole(ctx, input)), 201);
};
