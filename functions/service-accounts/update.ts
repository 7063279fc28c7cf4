import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { serviceAccounts } from "../../schema";
import { diff, isEmpty, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { notFound } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import {
  assignableRole,
  presentServiceAccount,
  ServiceAccountIdParams,
  ServiceAccountSchema,
  serviceAccountById,
} from "./schemas";

const UpdateServiceAccountBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }).optional(),
    description: displayText({ max: 500, multiline: true }).optional(),
    role_id: typeIdSchema(ID_PREFIX.role).optional(),
  })
  .openapi("UpdateServiceAccount");

export const route = defineRoute({
  method: "patch",
  path: "/v1/service-accounts/{id}",
  operationId: "updateServiceAccount",
  tags: ["Service accounts"],
  summary: "Rename a service account or change its role",
  access: { scope: "create", permission: "service_accounts:write" },
  request: {
    params: ServiceAccountIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateServiceAccountBody } } },
  },
  responses: {
    200: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const input = c.req.valid("json");
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  const presented = await ctx.db.transaction(async (tx) => {
    const before = await serviceAccountById(tx, id, { lock: true });
    const role = input.role_id ? await assignableRole(tx, ctx.caller, input.role_id) : before.role;
    const next = {
      name: input.name ?? before.account.name,
      description: input.description ?? before.account.description,
      roleId: role.id,
    };
    const changes = diff(
      presentServiceAccount(before),
      presentServiceAccount({ account: { ...before.account, ...next }, role }),
    );
    if (isEmpty(changes)) return presentServiceAccount(before);
    const [account] = await tx.update(serviceAccounts).set(next).where(eq(serviceAccounts.id, id)).returning();
    if (!account) throw notFound("service account");
    await recordAudit(tx, ctx, {
      action: "service_account.updated",
      resource: { type: "service_account", id, name: account.name },
      changes,
    });
    return presentServiceAccount({ account, role });
  });
  return c.json(presented, 200);
};
