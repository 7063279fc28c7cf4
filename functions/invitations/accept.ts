import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { MEMBER_EXAMPLE, MemberSchema, memberById, presentMember } from "../members/schemas";
import { OpportunityWorkerSchema, presentWorker } from "../opportunity-workers/schemas";
import { workerEntry } from "../opportunity-workers/service";
import { personContext } from "../platform/people";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { answerInvitation } from "./answer";
import { CodeBody } from "./schemas";

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations:accept",
  operationId: "acceptInvitation",
  tags: ["Invitations"],
  summary: "Accept an invitation addressed to you",
  description:
    "Your verified email (or phone) must be the invitee's, else 409 `invitee_mismatch` and the invitation stays " +
    "pending. Creates your membership with the invitation's role, exactly once; an invitation to an opportunity " +
    "gives you access to that opportunity instead (not membership), and answers your entry in its roster.",
  access: { scope: "create", untenanted: true, takesCode: true },
  errors: [404, 409],
  request: { body: { required: true, content: { "application/json": { schema: CodeBody } } } },
  responses: {
    200: {
      description: 'Your new membership, or your access to the opportunity (`object: "opportunity_worker"`).',
      content: {
        "application/json": {
          schema: z.union([MemberSchema, OpportunityWorkerSchema]).openapi("AcceptedInvitation"),
          example: MEMBER_EXAMPLE,
        },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const ctx = await personContext(c, "Only people accept invitations.");
  const { membershipId, invitation } = await answerInvitation(ctx, c.req.valid("json").code, "accept");
  if (invitation.opportunityId) return c.json(presentWorker(await workerEntry(ctx.db, invitation.id)), 200);
  return c.json(presentMember(await memberById(ctx.db, membershipId as string)), 200);
};
