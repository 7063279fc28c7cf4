import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ID_PREFIX, typeIdSchema } from "../platform/ids";
import { dispatch } from "../platform/outbox";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { reachProgram } from "../programs/reach";
import { ProgramApplicationSchema, presentApplication } from "./schemas";
import { inviteOrganisation } from "./service";

const CreateApplicationBody = z
  .strictObject({
    program_id: typeIdSchema(ID_PREFIX.program).openapi({
      description: "The program, run by the caller's organisation and within the caller's access list.",
    }),
    organisation_id: typeIdSchema(ID_PREFIX.organisation).openapi({
      description: "The organisation invited: another organisation than the program's own (else 400).",
    }),
  })
  .openapi("CreateProgramApplication", {
    example: { program_id: "prg_01h455vb4pex5vsknk084sn02q", organisation_id: "org_01h455vb4pex5vsknk084sn03r" },
  });

const applicationContent = { "application/json": { schema: ProgramApplicationSchema } };

export const route = defineRoute({
  method: "post",
  path: "/v1/program-applications",
  operationId: "createProgramApplication",
  tags: ["Program applications"],
  summary: "Invite an organisation into a program",
  description:
    "By the program's organisation (`programs:write`, within the caller's access list). Its owner and admins " +
    "are emailed. One application per (program, organisation): inviting again is 409 with `existing_id` and " +
    "`status`, except a `declined` or `rejected` application, which is invited again (200, audited as " +
    "`program_application.reinvited`). Inviting the program's own organisation, or an id that is no " +
    "organisation, is 400 on `organisation_id`. Audited in the program's organisation's trail.",
  access: { scope: "create", permission: "programs:write" },
  errors: [409],
  request: { body: { required: true, content: { "application/json": { schema: CreateApplicationBody } } } },
  responses: {
    201: { description: "The organisation is invited.", content: applicationContent },
    200: { description: "A declined or rejected application, invited again.", content: applicationContent },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { program_id, organisation_id } = c.req.valid("json");
  const { program, ctx } = await reachProgram(c, program_id);
  const written = await inviteOrganisation(ctx, program.id, organisation_id);
  await dispatch(c.env, written.outboxIds);
  const body = presentApplication(written.view);
  return written.created ? c.json(body, 201) : c.json(body, 200);
};
