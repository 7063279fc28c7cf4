import type { RouteHandler } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams } from "./schemas";
import { deleteOrganisation } from "./service";

export const route = defineRoute({
  method: "delete",
  path: "/v1/organisations/{id}",
  operationId: "deleteOrganisation",
  tags: ["Organisations"],
  summary: "Delete an organisation and everything in it (owner only)",
  description:
    "Only the owner may call it (`organisations:delete`, token scope `admin`); it cannot be undone. Its programs, opportunities, units, members and the rest go with it; its audit trail stays. While another " +
    "organisation delivers an opportunity under one of its programs, it is a 409 naming that opportunity " +
    "(`opportunity_id`, `program_id`): the other organisation's work is not deleted with it.",
  access: { scope: "admin", permission: "organisations:delete" },
  errors: [409],
  request: { params: OrganisationIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { row, ctx } = await tenancy(c).load(organisations, c.req.valid("param").id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  await deleteOrganisation(ctx, row);
  return c.body(null, 204);
};
