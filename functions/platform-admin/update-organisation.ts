import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { PLAN_NAMES } from "../../schema";
import {
  MAX_QUOTA,
  OrganisationIdParams,
  OrganisationSchema,
  presentOrganisation,
  RateLimitPolicySchema,
} from "../organisations/schemas";
import { MAX_ALLOWED_IPS, normaliseAllowlist } from "../platform/ip-allowlist";
import { FEATURE_DESCRIPTIONS, FEATURES, QUOTA_DESCRIPTIONS, QUOTAS } from "../platform/plans";
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
    plan: z.enum(PLAN_NAMES).optional().openapi({ description: "Move the organisation to this plan." }),
    allowed_ips: z
      .array(z.string().max(64))
      .max(MAX_ALLOWED_IPS)
      .optional()
      .openapi({
        description:
          "Replace the organisation's IP allowlist, as PUT /v1/organisations/{id}/ip-allowlist does (support " +
          "lifting a lock-out: `[]`). No lock-out check: an administrator is not the organisation's caller.",
      }),
    overrides: z
      .strictObject({
        features: z
          .strictObject(
            Object.fromEntries(
              FEATURES.map((feature) => [
                feature,
                z
                  .boolean()
                  .nullable()
                  .optional()
                  .openapi({
                    description: `The \`${feature}\` feature (${FEATURE_DESCRIPTIONS[feature]}): true on, false off, null as the plan says.`,
                  }),
              ]),
            ),
          )
          .optional()
          .openapi({ description: "Switch a feature on or off whatever the plan says; null follows the plan again." }),
        quotas: z
          .strictObject(
            Object.fromEntries(
              QUOTAS.map((quota) => [
                quota,
                z
                  .union([z.number().int().min(0).max(MAX_QUOTA).openapi({ format: "int32" }), z.literal("unlimited")])
                  .nullable()
                  .optional()
                  .openapi({
                    description: `The limit on ${QUOTA_DESCRIPTIONS[quota]}, or "unlimited"; null as the plan says.`,
                  }),
              ]),
            ),
          )
          .optional()
          .openapi({ description: 'A limit, or "unlimited", whatever the plan says; null follows the plan again.' }),
        rate_limit: RateLimitPolicySchema.nullable()
          .optional()
          .openapi({ description: "Requests per credential and window; null follows the plan again." }),
      })
      .nullable()
      .optional()
      .openapi({
        description:
          "Merged into the organisation's overrides key by key (a key left out stays as it is); null clears them all.",
      }),
  })
  .openapi("UpdatePlatformOrganisation", {
    example: { plan: "pro", overrides: { quotas: { members: 250 }, features: { ip_allowlist: true } } },
  });

export const route = defineRoute({
  method: "patch",
  path: "/v1/platform/organisations/{id}",
  operationId: "updatePlatformOrganisation",
  tags: ["Platform administration"],
  summary: "Change what only platform administrators set on an organisation",
  description:
    "Platform administrators only (PLATFORM_ADMINS), for any organisation, whether or not they belong to it. " +
    "`program_manager: true` lets the organisation create programs; `plan` moves it to another plan and " +
    "`overrides` lifts or lowers single features, quotas and the rate limit (effective at once: the next " +
    "request, and the next quota check, see them). A downgrade keeps what exists and refuses new rows beyond " +
    "the quota. Audited as `organisation.updated` in the " +
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
  const { allowed_ips, ...body } = c.req.valid("json");
  const organisation = await administerOrganisation(ctx, c.req.valid("param").id, {
    ...body,
    ...(allowed_ips ? { allowed_ips: normaliseAllowlist(allowed_ips) } : {}),
  });
  return c.json(presentOrganisation(organisation), 200);
};
