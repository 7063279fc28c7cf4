import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { assignableRole, presentServiceAccount, ServiceAccountSchema } from "./schemas";

const CreateServiceAccountBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional(),
    name: displayText({ min: 1, max: 100 }),
    description: displayText({ max: 500, multiline: true }).default(""),
    role_id: typeIdSchema(ID_PREFIX.role),
  })
  .openapi("CreateServiceAccount");

export const route = defineRoute({
  method: "post",
  path: "/v1/service-accounts",
  operationId: "createServiceAccount",
  tags: ["Service accounts"],
  summary: "Create a service account",
  description: "Its role must be of the same organisation and must not have global access.",
  access: { scope: "create", permission: "service_accounts:write" },
  request: { body: { required: true, content: { "application/json": { schema: CreateServiceAccountBody } } } },
  responses: {
    201: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const ctx = await tenancy(c).enter(input.organisation_id);
  const created = await ctx.db.transaction(async (tx) => {
    const role = await assignableRole(tx, ctx.caller, input.role_id);
    const [account] = await tx
      .insert(serviceAccounts)
      .values({
        organisationId: ctx.caller.organisationId,
        name: input.name,
        description: input.description,
        roleId: role.id,
      })
      .returning();
    if (!account) throw new Error("service account insert returned nothing");
    const presented = presentServiceAccount({ account, role });
    await recordAudit(tx, ctx, {
      action: "service_account.created",
      resource: { type: "service_account", id: account.id, name: account.name },
      changes: diff(null, presented),
    });
    return presented;
  });
  return c.json(created, 201);
};
