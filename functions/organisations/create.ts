import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { personContext } from "../platform/people";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { displayText } from "../platform/text";
import { OrganisationSchema, presentOrganisation } from "./schemas";
import { createOrganisation } from "./service";

const CreateOrganisationBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 }).openapi({
      description: "The organisation's display name, 1-100 characters, one line; HTML is stripped.",
    }),
    exclusive_membership: z
      .boolean()
      .default(false)
      .openapi({
        description:
          "Members may belong to no other organisation that also requires this. Default false; true is 409 " +
          "`user_in_other_organisation` while you belong to another such organisation.",
      }),
  })
  .openapi("CreateOrganisation", { example: { name: "Acme Volunteers", exclusive_membership: false } });

export const route = defineRoute({
  method: "post",
  path: "/v1/organisations",
  operationId: "createOrganisation",
  tags: ["Organisations"],
  summary: "Create an organisation; you become its owner",
  description:
    "Any signed-in person (token scope `create`); service accounts cannot (403). You become its owner, with the " +
    "built-in roles (owner, admin, manager, member, viewer) created for it; it starts on the free plan. " +
    "Creating one with `exclusive_membership` is refused (409 `user_in_other_organisation`) while you belong to " +
    "another organisation that requires it.",
  access: { scope: "create", untenanted: true },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateOrganisationBody } } } },
  responses: {
    201: { description: "The new organisation.", content: { "application/json": { schema: OrganisationSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await personContext(c, "Service accounts cannot create organisations.");
  return c.json(presentOrganisation(await createOrganisation(ctx, c.req.valid("json"))), 201);
};
