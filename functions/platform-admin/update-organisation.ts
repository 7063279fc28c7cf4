import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { OrganisationIdParams, OrganisationSchema, presentOrganisation } from "../organisations/schemas";
import { platformAdminContext } from "../platform/platform-admins";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { administerOrganisation } from "./service";

const UpdatePlatformOrganisationBody = z
  .strictObject({
    program_manager: z
      .boolean()
      .optional()
      .openapi({ description: "Program-manager organisations may create programs." }),
  })
  .openapi("UpdatePlatformOrganisation", { example: { program_manager: true } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/platform/organisations/{id}",
  operationId: "updatePlatformOrganisation",
  tags: ["Platform administration"],
  summary: "Change what only platform administrators set on an organisation",
  description:
    "Platform administrators only (PLATFORM_ADMINS), for any organisation, whether or not they belong to it. " +
    "`program_manager: true` lets the organisation create programs. Audited as `organisation.updated` in the " +
    "organisation's own trail, with the administrator as the actor; a PATCH that changes nothing writes " +
    "nothing. An unknown organisation is 404.",
  access: { scope: "create", platformAdmin: true },
  errors: [404],
  request: {
    params: OrganisationIdParams,
    body: { required: true, content: { "application/json": { schema: UpdatePlatformOrganisationBody } } },
  },
  responses: {
    200: { description: "The organisation.", content: { "application/json": { schema: OrganisationSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await platformAdminContext(c);
  const organisation = await administerOrganisation(ctx, c.req.valid("param").id, c.req.valid("json"));
  return c.json(presentOrganisation(organisation), 200);
};
