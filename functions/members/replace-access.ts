import type { RouteHandler } from "@hono/zod-openapi";
import { memberships } from "../../schema";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ReplaceAccessListBody } from "../programs/grants";
import { MemberAccessListSchema, MemberIdParams, presentMemberAccess } from "./schemas";
import { replaceMemberAccess } from "./service";

export const route = defineRoute({
  method: "put",
  path: "/v1/members/{id}/access",
  operationId: "replaceMemberAccess",
  tags: ["Members"],
  summary: "Replace a member's access list",
  description:
    "Declarative: the body is the whole list, reconciled atomically (programs left out lose their grant, new ones gain it) and audited once as `member.access_replaced` with what was added and removed; the same list again writes nothing. Each program must be one the organisation runs or delivers under (an accepted application), else 400 on `programs`. A member whose role has global access reaches everything already: 409. A caller without global access grants only programs they can reach themselves (403 naming the others) and replaces only that part of the list; grants outside their reach stay as they are. Grants are kept when the member's role gains global access (dormant) and apply again if it loses it.",
  access: { scope: "create", permission: "members:write" },
  request: {
    params: MemberIdParams,
    body: { required: true, content: { "application/json": { schema: ReplaceAccessListBody } } },
  },
  errors: [409],
  responses: {
    200: {
      description: "The member's access list as it now is.",
      content: { "application/json": { schema: MemberAccessListSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { ctx } = await tenancy(c).load(memberships, id, { what: "member" });
  const list = await replaceMemberAccess(ctx, id, c.req.valid("json").programs);
  return c.json(presentMemberAccess(id, ctx.organisationId, list), 200);
};
