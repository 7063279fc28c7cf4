import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { presentServiceAccount, ServiceAccountIdParams, ServiceAccountSchema } from "./schemas";
import { updateServiceAccount } from "./service";

const UpdateServiceAccountBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .optional()
      .openapi({ description: "The new display name, 1-100 characters, one line." }),
    description: displayText({ max: 500, multiline: true })
      .optional()
      .openapi({ description: "What the account is for, up to 500 characters." }),
    role_id: typeIdSchema(ID_PREFIX.role)
      .optional()
      .openapi({
        description:
          "A new role of the same organisation (else 400) without global access (else 403), whose permissions you " +
          "hold yourself unless you have global access (else 403).",
      }),
  })
  .openapi("UpdateServiceAccount", { example: { description: "Invites volunteers from our CRM every hour." } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/service-accounts/{id}",
  operationId: "updateServiceAccount",
  tags: ["Service accounts"],
  summary: "Rename a service account or change its role",
  description:
    "Needs `service_accounts:write` and token scope `create`. Send only the fields to change; a body that " +
    "changes nothing writes nothing. A new role takes effect on the account's next request, with the tokens it " +
    "already has.",
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
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  return c.json(presentServiceAccount(await updateServiceAccount(ctx, id, c.req.valid("json"))), 200);
};
