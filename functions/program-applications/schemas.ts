import { z } from "@hono/zod-openapi";
import { PROGRAM_APPLICATION_STATUSES, type ProgramApplication } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";

/** An application with the names its response shows: its program's and the invited organisation's. */
export interface ApplicationView {
  application: ProgramApplication;
  programName: string;
  /** The organisation running the program. */
  programOrganisationId: string;
  organisationName: string;
}

export const ProgramApplicationStatusSchema = z.enum(PROGRAM_APPLICATION_STATUSES).openapi("ProgramApplicationStatus", {
  description:
    "`invited` (the program's organisation asked), then `applied` or `declined` (the invited organisation " +
    "answered); from `invited` or `applied`, `accepted` or `rejected` (the program's organisation decided).",
  example: "applied",
});

/** An application as the API shows it (the example of its schema and of its list). */
export const PROGRAM_APPLICATION_EXAMPLE = {
  id: "papp_01h455vb4pex5vsknk084sn02q",
  object: "program_application" as const,
  program_id: "prg_01h455vb4pex5vsknk084sn02q",
  program_name: "Community health 2027",
  program_organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  organisation_id: "org_01h455vb4pex5vsknk084sn03r",
  organisation_name: "Community Learning e.V.",
  status: "applied" as const,
  invited_at: "2026-01-05T09:00:00.000Z",
  applied_at: "2026-01-07T14:30:00.000Z",
  decided_at: null,
  created_at: "2026-01-05T09:00:00.000Z",
  updated_at: "2026-01-07T14:30:00.000Z",
};

export const ProgramApplicationSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.program_application).openapi({ description: "The application's id." }),
    object: z.literal("program_application").openapi({ description: "Always `program_application`." }),
    program_id: typeIdOut(ID_PREFIX.program).openapi({ description: "The program the organisation is invited into." }),
    program_name: z.string().max(200).openapi({ description: "The program's name." }),
    program_organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({
      description: "The organisation running the program.",
    }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The invited (applying) organisation." }),
    organisation_name: z.string().max(200).openapi({ description: "The invited organisation's name." }),
    status: ProgramApplicationStatusSchema,
    invited_at: timestampOut().openapi({ description: "When it was (last) invited." }),
    applied_at: timestampOut().nullable().openapi({
      description: "When the invited organisation applied; null until it does (and after a re-invitation).",
    }),
    decided_at: timestampOut()
      .nullable()
      .openapi({ description: "When it was accepted, rejected or declined; null while `invited` or `applied`." }),
    created_at: timestampOut().openapi({ description: "When the first invitation was made (ISO 8601, UTC)." }),
    updated_at: timestampOut().openapi({ description: "When it last changed (ISO 8601, UTC)." }),
  })
  .openapi("ProgramApplication", { example: PROGRAM_APPLICATION_EXAMPLE });

/** The example of a one-page list of applications. */
export const PROGRAM_APPLICATION_LIST_EXAMPLE = {
  object: "list",
  data: [PROGRAM_APPLICATION_EXAMPLE],
  has_more: false,
  next_cursor: null,
};

export function presentApplication(view: ApplicationView) {
  const { application } = view;
  return {
    id: toTypeId(ID_PREFIX.program_application, application.id),
    object: "program_application" as const,
    program_id: toTypeId(ID_PREFIX.program, application.programId),
    program_name: view.programName,
    program_organisation_id: toTypeId(ID_PREFIX.organisation, view.programOrganisationId),
    organisation_id: toTypeId(ID_PREFIX.organisation, application.organisationId),
    organisation_name: view.organisationName,
    status: application.status,
    invited_at: application.invitedAt.toISOString(),
    applied_at: application.appliedAt?.toISOString() ?? null,
    decided_at: application.decidedAt?.toISOString() ?? null,
    created_at: application.createdAt.toISOString(),
    updated_at: application.updatedAt.toISOString(),
  };
}

export const ApplicationIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.program_application).openapi({
    param: { name: "id", in: "path" },
    description: "The application's id (`papp_...`); another prefix is a 400.",
  }),
});
