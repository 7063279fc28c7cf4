import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachProgram } from "./reach";
import { ProgramFields, ProgramIdParams, ProgramSchema, presentProgram } from "./schemas";
import { updateProgram } from "./service";

const UpdateProgramBody = z
  .strictObject({
    name: ProgramFields.name.optional(),
    description: ProgramFields.description.optional(),
    delivery_type: ProgramFields.delivery_type.optional(),
    currency: ProgramFields.currency.optional(),
    country: ProgramFields.country.optional(),
    budget: ProgramFields.budget.optional(),
    start_date: ProgramFields.start_date.optional(),
    end_date: ProgramFields.end_date.optional(),
  })
  .openapi("UpdateProgram", { example: { budget: "300000.00", end_date: "2028-06-30" } });

export const route = defineRoute({
  method: "patch",
  path: "/v1/programs/{id}",
  operationId: "updateProgram",
  tags: ["Programs"],
  summary: "Change a program",
  description:
    "`currency`, `country` and `delivery_type` are fixed once the program has an opportunity (409 naming the " +
    "`field`). A budget below what its opportunities hold (409 with `allocated`), or dates that no longer " +
    "contain an opportunity's (409 with `opportunity_id`; one without an end date runs to the program's end), " +
    "are refused. Serialised with opportunity changes under the program's row lock.",
  access: { scope: "create", permission: "programs:write" },
  errors: [409],
  request: {
    params: ProgramIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateProgramBody } } },
  },
  responses: { 200: { description: "The program.", content: { "application/json": { schema: ProgramSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { program, ctx } = await reachProgram(c, c.req.valid("param").id);
  return c.json(presentProgram(await updateProgram(ctx, program.id, c.req.valid("json"))), 200);
};
