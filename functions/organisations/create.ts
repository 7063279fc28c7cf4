import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { memberships, organisations, roles } from "../../schema";
import { diff, writeAuditEvent } from "../platform/audit";
import type { Database } from "../platform/db";
import type { AppEnv } from "../platform/env";
import { permissionDenied } from "../platform/errors";
import { BUILT_IN_ROLES, OWNER_ROLE_KEY } from "../platform/permissions";
import { defineRoute } from "../platform/router";
import { ensureUser, principalOf, type RequestMeta, requestMeta } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { assertNotInOtherExclusiveOrganisation, lockPerson } from "./exclusive";
import { OrganisationSchema, presentOrganisation } from "./schemas";

const CreateOrganisationBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }),
    exclusive_membership: z.boolean().default(false),
  })
  .openapi("CreateOrganisation");

export const route = defineRoute({
  method: "post",
  path: "/v1/organisations",
  operationId: "createOrganisation",
  tags: ["Organisations"],
  summary: "Create an organisation; you become its owner",
  description:
    "Creating one with `exclusive_membership` is refused (409 `user_in_other_organisation`) while you belong to " +
    "another organisation that requires it.",
  access: { scope: "create", untenanted: true },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateOrganisationBody } } } },
  responses: {
    201: { description: "The new organisation.", content: { "application/json": { schema: OrganisationSchema } } },
  },
});

export interface NewOrganisation {
  name: string;
  exclusive_membership: boolean;
}

/** Creates the organisation, its built-in roles and the owner's membership, with the audit event, atomically. */
export async function createOrganisation(
  db: Database,
  owner: { id: string; name: string | null; email: string | null },
  input: NewOrganisation,
  meta: RequestMeta | null,
) {
  return db.transaction(async (tx) => {
    // The creator joins it: an exclusive organisation is checked, under the same lock, as a join into one is.
    if (input.exclusive_membership) await lockPerson(tx, owner.id);
    const [organisation] = await tx
      .insert(organisations)
      .values({ name: input.name, exclusiveMembership: input.exclusive_membership })
      .returning();
    if (!organisation) throw new Error("organisation insert returned nothing");
    await assertNotInOtherExclusiveOrganisation(tx, organisation, { userId: owner.id });
    const builtIns = await tx
      .insert(roles)
      .values(
        BUILT_IN_ROLES.map((role) => ({
          organisationId: organisation.id,
          key: role.key,
          name: role.name,
          description: role.description,
          permissions: [...role.permissions],
          globalAccess: role.globalAccess,
          builtIn: true,
        })),
      )
      .returning();
    const ownerRole = builtIns.find((role) => role.key === OWNER_ROLE_KEY);
    if (!ownerRole) throw new Error("owner role missing");
    await tx.insert(memberships).values({ organisationId: organisation.id, userId: owner.id, roleId: ownerRole.id });
    await writeAuditEvent(tx, { type: "user", id: owner.id, name: owner.name, email: owner.email }, meta, {
      organisationId: organisation.id,
      action: "organisation.created",
      resource: { type: "organisation", id: organisation.id, name: organisation.name },
      changes: diff(null, presentOrganisation(organisation)),
    });
    return organisation;
  });
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const principal = principalOf(c);
  if (principal.kind !== "user") throw permissionDenied("Service accounts cannot create organisations.");
  const user = await ensureUser(c.get("db"), principal);
  const organisation = await createOrganisation(c.get("db"), user, c.req.valid("json"), requestMeta(c));
  return c.json(presentOrganisation(organisation), 201);
};
