import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { organisations } from "../../schema";
import { diff, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams, presentOrganisation } from "./schemas";

export const route = defineRoute({
  method: "delete",
  path: "/v1/organisations/{id}",
  operationId: "deleteOrganisation",
  tags: ["Organisations"],
  summary: "Delete an organisation and everything in it (owner only)",
  access: { scope: "admin", permission: "organisations:delete" },
  request: { params: OrganisationIdParams },
  responses: { 204: { description: "Deleted." } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { row, ctx } = await tenancy(c).load(organisations, id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  await ctx.db.transaction(async (tx) => {
    await tx.delete(organisations).where(eq(organisations.id, id));
    // The trail has no foreign keys, so this event outlives the organisation.
    await recordAudit(tx, ctx, {
      action: "organisation.deleted",
      resource: { type: "organisation", id, name: row.name },
      changes: diff(presentOrganisation(row), null),
    });
  });
  return c.body(null, 204);
};
