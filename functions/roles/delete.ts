import type { RouteHandler } from "@hono/zod-openapi";
import { roles } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { RoleIdParams } from "./schemas";
import { deleteRole } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/roles/{id}",
  operationId: "deleteRole",
  tags: ["Roles"],
  summary: "Delete a custom role that nobody holds",
  description:
    "Needs `roles:write` and token scope `create`. Built-in roles cannot be deleted (403); a global-access role " +
    "only by a person with global access (403). While a member, a service account or a pending, unexpired " +
    "invitation has the role it is 409 naming one (`member_id`, `service_account_id` or `invitation_id`); " +
    "move them to another role first. Past invitations lose the role.",
  access: { scope: "create", permission: "roles:write" },
  errors: [409],
  request: { params: RoleIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row, ctx } = await tenancy(c).load(roles, c.req.valid("param").id, { what: "role" });
  await deleteRole(ctx, row);
  return c.body(null, 204);
};
