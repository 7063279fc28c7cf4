import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { organisations } from "../../schema";
import { MemberSchema, memberById, presentMember } from "../members/schemas";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { OrganisationIdParams } from "./schemas";
import { transferOwnership } from "./service";

const TransferOwnershipBody = z
  .strictObject({
    member_id: typeIdSchema(ID_PREFIX.membership).openapi({
      description: "The member (`mem_...`) of this organisation who becomes the owner; not yourself (409).",
    }),
  })
  .openapi("TransferOwnership", { example: { member_id: "mem_01h455vb4pex5vsknk084sn02q" } });

export const route = defineRoute({
  method: "post",
  path: "/v1/organisations/{id}:transfer-ownership",
  operationId: "transferOrganisationOwnership",
  tags: ["Organisations"],
  summary: "Make another member the owner; the current owner becomes an admin",
  description:
    "The only way the owner role moves. Only the owner may call it (403 for anyone else, admins included), with " +
    "token scope `admin`. The target takes the owner role and you take the admin role, atomically. Naming " +
    "yourself is 409, as is a concurrent change of owner; a member of another organisation is 404.",
  access: { scope: "admin", permission: "organisations:transfer" },
  errors: [409],
  request: {
    params: OrganisationIdParams,
    body: { required: true, content: { "application/json": { schema: TransferOwnershipBody } } },
  },
  responses: {
    200: { description: "The new owner.", content: { "application/json": { schema: MemberSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { member_id: targetId } = c.req.valid("json");
  const { ctx } = await tenancy(c).load(organisations, c.req.valid("param").id, {
    organisationColumn: organisations.id,
    what: "organisation",
  });
  await transferOwnership(ctx, targetId);
  return c.json(presentMember(await memberById(ctx.db, targetId)), 200);
};
