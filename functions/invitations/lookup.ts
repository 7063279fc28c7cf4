import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { INVITATION_STATUSES } from "../../schema";
import { timestampOut } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { lookupInvitation } from "./answer";
import { CodeBody } from "./schemas";

const PreviewSchema = z
  .object({
    object: z.literal("invitation_preview").openapi({ description: "Always `invitation_preview`." }),
    organisation: z
      .object({ name: z.string().max(100).openapi({ description: "The organisation's name." }) })
      .openapi({ description: "The organisation that invites you." }),
    inviter: z
      .object({ name: z.string().max(200).openapi({ description: "The inviter's name (never their email)." }) })
      .openapi({ description: "Who invited you." }),
    role: z
      .object({ name: z.string().max(100).openapi({ description: "The role's display name." }) })
      .nullable()
      .openapi({
        description:
          "The role you get; null for an invitation to an opportunity (or, once answered, when the role is gone).",
      }),
    opportunity: z
      .object({ name: z.string().max(200).openapi({ description: "The opportunity's name." }) })
      .nullable()
      .openapi({ description: "The opportunity you get access to (not membership); null otherwise." }),
    status: z.enum(INVITATION_STATUSES).openapi({
      description:
        "`pending` until the invitee answers; then `accepted` or `declined`, or `cancelled` by the organisation, or " +
        "`expired` (also for a pending one past `expires_at` the nightly sweep has not reached yet).",
    }),
    answerable: z.boolean().openapi({
      description:
        "Whether `:accept` and `:decline` can still take this code: true exactly when `status` is `pending`.",
    }),
    expires_at: timestampOut().openapi({ description: "When the code stops (or stopped) working." }),
  })
  .openapi("InvitationPreview", {
    example: {
      object: "invitation_preview",
      organisation: { name: "Acme Relief" },
      inviter: { name: "Alice" },
      role: null,
      opportunity: { name: "Harvest helpers" },
      status: "pending",
      answerable: true,
      expires_at: "2026-06-08T09:30:00.000Z",
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/invitations:lookup",
  operationId: "lookupInvitation",
  tags: ["Invitations"],
  summary: "What an invitation code is for (public)",
  description:
    "Organisation name, inviter, role (or, for an invitation to an opportunity, the opportunity's name), expiry and " +
    "whether it can still be answered (`status`, `answerable`: an accepted, declined, cancelled or expired code says " +
    "which), and nothing else. A code that was never sent, or was replaced by `:resend`, is 404. " +
    "Rate-limited per client, with a small extra bucket for code guesses (`CODE_RATE_LIMIT_POLICY`, 30 a minute).",
  access: { public: true, takesCode: true },
  errors: [404],
  request: { body: { required: true, content: { "application/json": { schema: CodeBody } } } },
  responses: {
    200: { description: "The invitation's preview.", content: { "application/json": { schema: PreviewSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const preview = await lookupInvitation(c.get("db"), c.req.valid("json").code);
  c.header("Cache-Control", "no-store");
  return c.json({ object: "invitation_preview" as const, ...preview }, 200);
};
