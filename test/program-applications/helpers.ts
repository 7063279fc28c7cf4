// What the program-application suites share: a program-manager organisation with programs, invitations and
// answers through the API, and the outbox rows they leave.

import { asc, eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { outboxMessages } from "../../schema";
import { call, insertProgram, type Made, type Tenant, type testEnv, withDb } from "../harness";

/** The app without a queue: messages stay in the outbox for the sweep to deliver (no consumer races the test). */
export const NO_QUEUE = { OUTBOX_QUEUE: undefined } as Partial<typeof testEnv>;

export type Verb = "apply" | "decline" | "accept" | "reject";

/** A program of the tenant (made in the database, so these suites do not depend on the program endpoints). */
export const newProgram = (tenant: Tenant): Promise<Made> => insertProgram(tenant);

/**
 * Invites without a queue, so the invitation emails stay pending in the outbox with their bodies: a consumer
 * that delivered one would blank its body (sent mail keeps no invitation text) while the test reads it.
 */
export const invite = (programId: string, organisationId: string, token: string, headers?: Record<string, string>) =>
  call("POST", "/v1/program-applications", {
    token,
    body: { program_id: programId, organisation_id: organisationId },
    env: NO_QUEUE,
    ...(headers ? { headers } : {}),
  });

export const act = (id: string, verb: Verb, token: string) =>
  call("POST", `/v1/program-applications/${id}:${verb}`, { token });

export const applicationUuid = (id: string) => parseTypeId(ID_PREFIX.program_application, id) as string;

/** The outbox rows addressed to one recipient, oldest first. */
export async function outboxTo(recipient: string) {
  return withDb((db) =>
    db.select().from(outboxMessages).where(eq(outboxMessages.recipient, recipient)).orderBy(asc(outboxMessages.id)),
  );
}
