import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import { MatchingWeightsPatch } from "../matching/weights";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { displayText } from "../platform/text";
import { OrganisationIdParams, OrganisationSchema, presentOrganisation } from "./schemas";
import { updateOrganisation } from "./service";

const UpdateOrganisationBody = z
  .strictObject({
    name: displayText({ min: 1, max: 100 })
      .optional()
      .openapi({ description: "The new display name, 1-100 characters, one line; HTML is stripped." }),
    exclusive_membership: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Members may belong to no other organisation that also requires this. Switching it on is 409 " +
          "`user_in_other_organisation` (naming `member_id`) while a member belongs to another such organisation.",
      }),
    matching_weights: MatchingWeightsPatch.optional().openapi({
      description: "Per-factor weights 0-1 for match scores; `null` resets them all to the defaults.",
    }),
  })
  .openapi("UpdateOrganisation", { example: { name: "Acme Volunteers", matching_weights: { availability: 0.3 } } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/organisations/{id}",
  operationId: "updateOrganisation",
  tags: ["Organisations"],
  summary: "Change an organisation's settings",
  description:
    "Needs `organisations:write` (owner and admin have it) and token scope `create`. Send only the fields to " +
    "change; a body that changes nothing writes nothing. Switching `exclusive_membership` on is refused (409 `user_in_other_organisation`) while a member also " +
    "belongs to another organisation that requires it. `matching_weights` tunes how this organisation's " +
    "opportunities rank volunteers (and rank for them): see MatchingWeightsPatch.",
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
  const { ctx } = await tenancy(c).load(organisations, id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  return c.json(presentOrganisation(await updateOrganisation(ctx, id, c.req.valid("json"))), 200);
};
