import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { ProgramFields, ProgramSchema, presentProgram } from "./schemas";
import { createProgram } from "./service";

const CreateProgramBody = z
  .strictObject({
    organisation_id: typeIdSchema(ID_PREFIX.organisation).optional().openapi({
      description: "The organisation that runs it. Required for people; a service account's token implies it.",
    }),
    ...ProgramFields,
    description: ProgramFields.description.default(""),
  })
  .superRefine((body, ctx) => {
    if (body.end_date <= body.start_date) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: "must be after start_date" });
    }
  })
  .openapi("CreateProgram", {
    example: {
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      name: "Community health 2027",
      description: "Household surveys and health outreach across the district.",
      delivery_type: "field-work",
      currency: "EUR",
      country: "DE",
      budget: "250000.00",
      start_date: "2027-01-01",
      end_date: "2027-12-31",
    },
  });

export const route = defineRoute({
  method: "post",
  path: "/v1/programs",
  operationId: "createProgram",
  tags: ["Programs"],
  summary: "Create a program",
  description:
    "Only a program-manager organisation (marked by a platform administrator) creates programs: else 403 " +
    '`permission_denied`. The budget has at most the currency\'s minor units of decimals (`"10.5"` JPY is a ' +
    "400); `end_date` is after `start_date`. A creator whose role has no global access is granted the new " +
    "program in their access list, so they see what they made.",
  access: { scope: "create", permission: "programs:write", quotas: ["programs"] },
  request: { body: { required: true, content: { "application/json": { schema: CreateProgramBody } } } },
  responses: {
    201: { description: "The program.", content: { "application/json": { schema: ProgramSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...input } = c.req.valid("json");
  const ctx = await tenancy(c).enter(organisation_id);
  return c.json(presentProgram(await createProgram(ctx, input)), 201);
};
