import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import { MAX_ALLOWED_IPS, normaliseAllowlist } from "../platform/ip-allowlist";
import { type AppEnv, clientAddress } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams, OrganisationSchema, presentOrganisation } from "./schemas";
import { setAllowedIps } from "./service";

const SetIpAllowlistBody = z
  .strictObject({
    allowed_ips: z
      .array(z.string().max(64))
      .max(MAX_ALLOWED_IPS)
      .openapi({ description: "IPv4 and IPv6 addresses and CIDR ranges; empty lets any address in again." }),
    confirm_lockout: z.boolean().optional().openapi({
      description: "Save a list that does not include your own address (your next request will be refused).",
    }),
  })
  .openapi("SetIpAllowlist", { example: { allowed_ips: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"] } });

export const route = defineRoute({
  method: "put",
  path: "/v1/organisations/{id}/ip-allowlist",
  operationId: "setOrganisationIpAllowlist",
  tags: ["Organisations"],
  summary: "Allow the organisation's API access only from these addresses",
  description:
    "Replaces the organisation's `allowed_ips` (up to 100 IPv4/IPv6 addresses and CIDR ranges; a range is kept " +
    "from its network address, `10.1.2.3/8` → `10.0.0.0/8`). While it is not empty, every request for the " +
    "organisation, by members and service accounts alike, must come from a listed address, or it is 403 " +
    "`ip_not_allowed`. The address is the one Cloudflare saw (`CF-Connecting-IP`), never a header the client " +
    "sends such as `X-Forwarded-For`; the audit trail records the same one. A malformed entry is 400 naming it. " +
    "A list that leaves out your own address is 409 unless `confirm_lockout` is true. Needs the `ip_allowlist` " +
    "feature; on a plan without it a saved list is kept but not enforced.",
  access: { scope: "create", permission: "organisations:write", feature: "ip_allowlist" },
  errors: [409],
  request: {
    params: OrganisationIdParams,
    body: { required: true, content: { "application/json": { schema: SetIpAllowlistBody } } },
  },
  responses: {
    200: {
      description: "The organisation, with its new allowlist.",
      content: { "application/json": { schema: OrganisationSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { ctx } = await tenancy(c).load(organisations, c.req.valid("param").id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  const body = c.req.valid("json");
  const organisation = await setAllowedIps(ctx, normaliseAllowlist(body.allowed_ips), {
    callerAddress: clientAddress(c),
    confirmLockout: body.confirm_lockout ?? false,
  });
  return c.json(presentOrganisation(organisation), 200);
};
