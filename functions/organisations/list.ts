import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { memberships, organisations, users } from "../../schema";
import { decodeCursor, listSchema, page, paginationQuery } from "../platform/pagination";
import type { AppEnv } from "../platform/request";
import { principalOf } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ORGANISATION_EXAMPLE, OrganisationSchema, presentOrganisation } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/organisations",
  operationId: "listOrganisations",
  tags: ["Organisations"],
  summary: "List the organisations you belong to",
  description:
    "Any signed-in caller. A person sees every organisation they are a member of; a service account sees only " +
    "its own organisation. Ordered by id (oldest first), paged with `limit` and `cursor`.",
  access: { untenanted: true },
  request: { query: z.object(paginationQuery) },
  responses: {
    200: {
      description: "Your organisations, oldest first.",
      content: {
        "application/json": {
          schema: listSchema(OrganisationSchema, "OrganisationList"),
          example: { object: "list", data: [ORGANISATION_EXAMPLE], has_more: false, next_cursor: null },
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  const principal = principalOf(c);
  const db = c.get("db");
  const conditions: SQL[] = [];
  if (after) conditions.push(gt(organisations.id, after));
  let rows: (typeof organisations.$inferSelect)[];
  if (principal.kind === "service_account") {
    // Also proves the credential is still valid (401 once revoked).
    const { caller } = await tenancy(c).enter(principal.organisationId);
    conditions.push(eq(organisations.id, caller.organisationId));
    rows = await db
      .select()
      .from(organisations)
      .where(and(...conditions))
      .limit(limit + 1);
  } else {
    rows = await db
      .select({ organisation: organisations })
      .from(organisations)
      .innerJoin(memberships, eq(memberships.organisationId, organisations.id))
      .innerJoin(
        users,
        and(eq(users.id, memberships.userId), eq(users.issuer, principal.issuer), eq(users.subject, principal.subject)),
      )
      .where(and(...conditions))
      .orderBy(asc(organisations.id))
      .limit(limit + 1)
      .then((found) => found.map((row) => row.organisation));
  }
  return c.json(page(rows, limit, presentOrganisation), 200);
};
