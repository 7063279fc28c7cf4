import type { RouteHandler } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams, OrganisationSchema, presentOrganisation } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/organisations/{id}",
  operationId: "getOrganisation",
  tags: ["Organisations"],
  summary: "Get an organisation you belong to",
  description:
    "Any member, or a service account of the organisation. Its settings: name, plan and overrides, " +
    "`exclusive_membership`, `program_manager`, matching weights and IP allowlist. An organisation you do not " +
    "belong to is a 404, never a 403.",
  access: {},
  request: { params: OrganisationIdParams },
  responses: {
    200: { description: "The organisation.", content: { "application/json": { schema: OrganisationSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row } = await tenancy(c).load(organisations, c.req.valid("param").id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  return c.json(presentOrganisation(row), 200);
};
