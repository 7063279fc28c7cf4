import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { serviceAccountCredentials } from "../../schema";
import { notFound } from "../platform/errors";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { revokeCredential } from "./service";

const Params = z.object({
  id: typeIdSchema(ID_PREFIX.service_account).openapi({
    param: { name: "id", in: "path" },
    description: "The service account's id (`sa_...`).",
  }),
  credential_id: typeIdSchema(ID_PREFIX.credential).openapi({
    param: { name: "credential_id", in: "path" },
    description: "The credential's id (`cred_...`); one of another service account is a 404.",
  }),
});

export const route = defineRoute({
  method: "delete",
  path: "/v1/service-accounts/{id}/credentials/{credential_id}",
  operationId: "deleteServiceAccountCredential",
  tags: ["Service accounts"],
  summary: "Revoke a credential; its tokens stop working at once",
  description:
    "Needs `service_accounts:write` and token scope `admin`. The credential is deleted: its secret gets no new " +
    "token and the tokens it already got are refused (401) from the next request. The account and its other " +
    "credentials are untouched.",
  access: { scope: "admin", permission: "service_accounts:write" },
  request: { params: Params },
  responses: { 204: { description: "Revoked." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id, credential_id: credentialId } = c.req.valid("param");
  const { row: credential, ctx } = await tenancy(c).load(serviceAccountCredentials, credentialId, {
    what: "credential",
  });
  if (credential.serviceAccountId !== id) throw notFound("credential");
  await revokeCredential(ctx, credential);
  return c.body(null, 204);
};
