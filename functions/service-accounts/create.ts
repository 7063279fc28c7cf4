import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { presentServiceAccount, ServiceAccountSchema } from "./schemas";
import { createServiceAccount } from "./service";

const CreateServiceAccountBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation)
      .optional()
      .openapi({ description: "Required for people; a service account's token implies it." }),
    name: displayText({ min: 1, max: 100 }).openapi({
      description: "The account's display name, 1-100 characters, one line.",
    }),
    description: displayText({ max: 500, multiline: true })
      .default("")
      .openapi({ description: "What the account is for, up to 500 characters; default empty." }),
    role_id: typeIdSchema(ID_PREFIX.role).openapi({
      description:
        "A role of the same organisation (else 400) without global access (else 403), whose permissions you " +
        "hold yourself unless you have global access (else 403).",
    }),
  })
  .openapi("CreateServiceAccount", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "CRM sync",
      description: "Invites volunteers from our CRM every night.",
      role_id: "role_01h455vb4pex5vsknk084sn02q",
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/service-accounts",
  operationId: "createServiceAccount",
  tags: ["Service accounts"],
  summary: "Create a service account",
  description:
    "Needs `service_accounts:write`, token scope `create` and room in the `service_accounts` quota. Its role " +
    "must be of the same organisation and must not have global access; nobody gives it permissions they do not " +
    "hold. It has no credential yet: issue one with POST /v1/service-accounts/{id}/credentials.",
  access: { scope: "create", permission: "service_accounts:write", quotas: ["service_accounts"] },
  request: { body: { required: true, content: { "application/json": { schema: CreateServiceAccountBody } } } },
  responses: {
    201: { description: "The service account.", content: { "application/json": { schema: ServiceAccountSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(presentServiceAccount(await createServiceAccount(ctx, input)), 201);
};
