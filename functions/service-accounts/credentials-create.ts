import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { serviceAccounts } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { secretFields } from "../platform/secrets";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { CredentialSchema, presentCredential, ScopeSchema, ServiceAccountIdParams } from "./schemas";
import { issueCredential } from "./service";

/** Nothing asked for, the least is given: a credential that can only read. */
const DEFAULT_SCOPES: ["read"] = ["read"];
const DEFAULT_NAME = "Default credential";

const CreateCredentialBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .default(DEFAULT_NAME)
      .openapi({
        default: DEFAULT_NAME,
        description: `Defaults to "${DEFAULT_NAME}"; created_at tells such ones apart.`,
      }),
    scopes: z
      .array(ScopeSchema)
      .min(1)
      .max(4)
      .default(DEFAULT_SCOPES)
      .openapi({ default: DEFAULT_SCOPES, description: 'Defaults to the least, `["read"]`.' }),
    expires_in_days: z.number().int().min(1).max(730).optional().openapi({
      format: "int32",
      description: "Days until the secret stops working (1-730); left out: it never expires.",
    }),
  })
  .openapi("CreateServiceAccountCredential", {
    example: { name: "Nightly sync", scopes: ["read", "create"], expires_in_days: 365 },
  });

const CreatedCredentialSchema = CredentialSchema.extend(
  secretFields({
    client_secret: z.string().max(100).openapi({ description: "Shown once: store it now. Only a digest is kept." }),
  }),
).openapi("CreatedServiceAccountCredential", {
  example: {
    id: "cred_01h455vb4pex5vsknk084sn02q",
    object: "service_account_credential",
    service_account_id: "sa_01h455vb4pex5vsknk084sn02q",
    name: "Nightly sync",
    client_id: "cred_01h455vb4pex5vsknk084sn02q",
    secret_hint: "1nu4",
    scopes: ["read", "create"],
    expires_at: "2027-01-01T09:00:00.000Z",
    last_used_at: null,
    created_at: "2026-01-01T09:00:00.000Z",
    client_secret: "mst_secret_wkrZebGnIekQAdQ1vJNYom5KRti8P4zvqrHHXVw1nu4",
  },
});

export const route = defineRoute({
  method: "post",
  path: "/v1/service-accounts/{id}/credentials",
  operationId: "createServiceAccountCredential",
  tags: ["Service accounts"],
  summary: "Issue a client id and secret (the secret is shown once)",
  description:
    "Needs `service_accounts:write` and token scope `admin`. The caller must hold every permission of the account's role (or have global access), every requested " +
    "scope on their own token, and, without global access, reach every program of the account's access list " +
    "themselves (403 naming the others). The body may be left out (or `{}`): a read-only credential named " +
    `"${DEFAULT_NAME}".`,
  access: { scope: "admin", permission: "service_accounts:write" },
  optionalBody: true,
  request: {
    params: ServiceAccountIdParams,
    body: { content: { "application/json": { schema: CreateCredentialBody } } },
  },
  responses: {
    201: {
      description: "The credential with its secret.",
      content: { "application/json": { schema: CreatedCredentialSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  // Left out altogether, the body was not validated: the empty one, through the schema, carries the defaults.
  const input = c.req.header("content-type") ? c.req.valid("json") : CreateCredentialBody.parse({});
  const { ctx } = await tenancy(c).load(serviceAccounts, id, { what: "service account" });
  const { credential, secret } = await issueCredential(ctx, id, input);
  return c.json({ ...presentCredential(credential), client_secret: secret }, 201);
};
