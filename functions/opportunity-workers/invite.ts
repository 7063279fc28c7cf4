import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { callerContext } from "../invitations/context";
import { inviteToOpportunity } from "../invitations/opportunity";
import { reachOpportunity } from "../opportunities/reach";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { InviteBody, InviteResponse, parsePhoneEntry, presentInviteResults } from "./schemas";

export const route = defineRoute({
  method: "post",
  path: "/v1/opportunities/{id}:invite",
  operationId: "inviteToOpportunity",
  tags: ["Opportunity workers"],
  summary: "Invite people to an opportunity by phone (SMS), with a result per number",
  description:
    "Each number is normalised to E.164 and gets one result, in the request's order: `invited` (a new " +
    "invitation, sent by SMS through the queue), `already_invited` (a pending invitation exists), " +
    "`already_accepted` (that number's person has access already) or `invalid` (with the reason). A number " +
    "given twice is invited once and both entries report that outcome. Accepting gives access to the " +
    "opportunity, not membership of the organisation. An opportunity that has ended (`end_date` before today, " +
    "UTC) is 400 `opportunity_ended`; one that is not `open` is 409. Either side may invite: the delivering " +
    "organisation (`opportunities:write`) or the program's (`programs:write`). All new invitations commit " +
    "together, each with its `invitation.created` event. Needs the `sms_invitations` feature (the caller's " +
    "organisation's plan); the new invitations count against the delivering organisation's " +
    "`invitations_per_day` quota, all or none.",
  access: {
    scope: "create",
    permission: "opportunities:write",
    feature: "sms_invitations",
    quotas: ["invitations_per_day"],
  },
  errors: [409],
  request: {
    params: z.object({
      id: typeIdSchema(ID_PREFIX.opportunity).openapi({
        param: { name: "id", in: "path" },
        description: "The opportunity's id (`opp_...`); another prefix is a 400.",
      }),
    }),
    body: { required: true, content: { "application/json": { schema: InviteBody } } },
  },
  responses: {
    200: {
      description: "One result per number given.",
      content: { "application/json": { schema: InviteResponse } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { opportunity, ctx } = await reachOpportunity(c, id, { write: true });
  // The invitation lives in the delivering organisation, whichever side sends it.
  const context = { ...callerContext(ctx, c.env), organisationId: opportunity.organisationId };
  const results = await inviteToOpportunity(context, opportunity.id, {
    entries: body.phone_numbers.map(parsePhoneEntry),
    customMessage: body.custom_message,
    expiresInDays: body.expires_in_days,
  });
  return c.json(presentInviteResults(opportunity.id, results), 200);
};
