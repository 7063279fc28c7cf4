import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { roles } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { GrantablePermission, presentRole, RoleIdParams, RoleSchema } from "./schemas";
import { updateRole } from "./service";

const UpdateRoleBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .optional()
      .openapi({ description: "1-100 characters, one line, unique in the organisation (else 409)." }),
    description: displayText({ max: 500, multiline: true })
      .optional()
      .openapi({ description: "What the role is for, up to 500 characters." }),
    permissions: z
      .array(GrantablePermission)
      .max(50)
      .optional()
      .openapi({
        description:
          "The whole new list (it replaces the old one), without the owner's own permissions. Ones the role did not " +
          "have yet must be ones you hold, unless you have global access (403).",
      }),
    global_access: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Only a person with global access turns it on or off (403); it cannot be turned on while a service " +
          "account holds the role (403).",
      }),
  })
  .openapi("UpdateRole", {
    example: {
      description: "Invites volunteers, runs opportunities and reads analytics.",
      permissions: ["invitations:write", "opportunities:write", "analytics:read"],
    },
  });

export const route = defineRoute({
  method: "patch",
  path: "/v1/roles/{id}",
  operationId: "updateRole",
  tags: ["Roles"],
  summary: "Change a custom role",
  description:
    "Needs `roles:write`, token scope `create` and the `custom_roles` feature. Send only the fields to change; " +
    "a body that changes nothing writes nothing. Built-in roles are read-only (403). A role held by service accounts cannot gain global access; only people with " +
    "global access change a global-access role.",
  access: { scope: "create", permission: "roles:write", feature: "custom_roles" },
  errors: [409],
  request: {
    params: RoleIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateRoleBody } } },
  },
  responses: { 200: { description: "The role.", content: { "application/json": { schema: RoleSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(roles, id, { what: "role" });
  return c.json(presentRole(await updateRole(ctx, id, c.req.valid("json"))), 200);
};
