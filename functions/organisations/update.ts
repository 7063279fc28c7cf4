import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { organisations } from "../../schema";
import { diff, isEmpty, recordAudit } from "../platform/audit";
import type { AppEnv } from "../platform/env";
import { notFound } from "../platform/errors";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { assertNoMemberBelongsElsewhere, lockMembers } from "./exclusive";
import { OrganisationIdParams, OrganisationSchema, presentOrganisation } from "./schemas";

const UpdateOrganisationBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }).optional(),
    exclusive_membership: z.boolean().optional(),
  })
  .openapi("UpdateOrganisation");

export const route = defineRoute({
  method: "patch",
  path: "/v1/organisations/{id}",
  operationId: "updateOrganisation",
  tags: ["Organisations"],
  summary: "Change an organisation's settings",
  description:
    "Switching `exclusive_membership` on is refused (409 `user_in_other_organisation`) while a member also " +
    "belongs to another organisation that requires it.",
  access: { scope: "create", permission: "organisations:write" },
  errors: [409],
  request: {
    params: OrganisationIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateOrganisationBody } } },
  },
  responses: {
    200: { description: "The updated organisation.", content: { "application/json": { schema: OrganisationSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const input = c.req.valid("json");
  const { ctx } = await tenancy(c).load(organisations, id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  const updated = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(organisations).where(eq(organisations.id, id)).for("update");
    if (!before) throw notFound("organisation");
    const next = {
      name: input.name ?? before.name,
      exclusiveMembership: input.exclusive_membership ?? before.exclusiveMembership,
    };
    const changes = diff(presentOrganisation(before), presentOrganisation({ ...before, ...next }));
    // A PATCH that changes nothing writes nothing (no new updated_at, no empty audit event).
    if (isEmpty(changes)) return before;
    if (next.exclusiveMembership && !before.exclusiveMembership) {
      // Joins into this organisation wait on its row (locked above); each member's other joins, on their lock.
      await lockMembers(tx, id);
      await assertNoMemberBelongsElsewhere(tx, id);
    }
    const [after] = await tx.update(organisations).set(next).where(eq(organisations.id, id)).returning();
    if (!after) throw notFound("organisation");
    await recordAudit(tx, ctx, {
      action: "organisation.updated",
      resource: { type: "organisation", id, name: after.name },
      changes,
    });
    return after;
  });
  return c.json(presentOrganisation(updated), 200);
};
