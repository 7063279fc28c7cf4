import { and, eq } from "drizzle-orm";
import {
  type AuditAction,
  organisations,
  type Program,
  type ProgramApplication,
  type ProgramApplicationStatus,
  programApplications,
  programs,
} from "../../schema";
import { recordChange } from "../platform/audit";
import type { Queryable } from "../platform/db";
import { conflict, notFound, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { writeOutboxMessage } from "../platform/outbox";
import type { OrgContext } from "../platform/tenancy";
import { adminEmails, appliedMessages, invitedMessages } from "./messages";
import type { ApplicationSide } from "./reach";
import { type ApplicationView, presentApplication } from "./schemas";

/** What a write returns: the application, whether it was made now, and the messages to hand to the queue. */
export interface Written {
  view: ApplicationView;
  created: boolean;
  outboxIds: string[];
}

const resourceOf = (view: ApplicationView) => ({
  type: "program_application",
  id: view.application.id,
  name: `${view.organisationName} in ${view.programName}`,
});

/** Share-locks the program: its deletion waits for (and then sees) an application being written. */
async function lockProgramShared(tx: Queryable, programId: string): Promise<Program> {
  const [program] = await tx.select().from(programs).where(eq(programs.id, programId)).for("share");
  if (!program) throw notFound("program");
  return program;
}

async function writeAll(tx: Queryable, messages: Parameters<typeof writeOutboxMessage>[1][]): Promise<string[]> {
  const ids: string[] = [];
  for (const message of messages) ids.push((await writeOutboxMessage(tx, message)).id);
  return ids;
}

/**
 * The program's organisation invites another one. One application per (program, organisation), kept by the
 * database's unique index: inviting again is 409 with `existing_id`, except a declined or rejected application,
 * which is invited again. The invited organisation's admins are emailed (outbox) in the same transaction.
 */
export async function inviteOrganisation(ctx: OrgContext, programId: string, organisationId: string): Promise<Written> {
  if (organisationId === ctx.organisationId) {
    throw validationError({ organisation_id: ["is the program's own organisation"] });
  }
  return ctx.db.transaction(async (tx) => {
    const program = await lockProgramShared(tx, programId);
    const invited = await organisationNamed(tx, organisationId);
    // Another tenant's existence is all this tells: ids are unguessable, and an invitation needs one.
    if (!invited) throw validationError({ organisation_id: ["is not an organisation"] });
    const inviter = (await organisationNamed(tx, program.organisationId))?.name ?? "An organisation";
    const [inserted] = await tx
      .insert(programApplications)
      .values({ programId: program.id, organisationId })
      .onConflictDoNothing()
      .returning();
    let application: ProgramApplication;
    let before: ApplicationView | null = null;
    if (inserted) {
      application = inserted;
    } else {
      const [existing] = await tx
        .select()
        .from(programApplications)
        .where(
          and(eq(programApplications.programId, program.id), eq(programApplications.organisationId, organisationId)),
        )
        .for("update");
      if (!existing) throw new Error("the conflicting application vanished");
      if (existing.status !== "declined" && existing.status !== "rejected") {
        throw conflict(`The organisation already has an application to this program (${existing.status}).`, {
          existing_id: toTypeId(ID_PREFIX.program_application, existing.id),
          status: existing.status,
        });
      }
      before = viewFor(existing, program, invited.name);
      const [renewed] = await tx
        .update(programApplications)
        .set({ status: "invited", invitedAt: new Date(), appliedAt: null, decidedAt: null })
        .where(eq(programApplications.id, existing.id))
        .returning();
      if (!renewed) throw new Error("the application vanished under its lock");
      application = renewed;
    }
    const view = viewFor(application, program, invited.name);
    const outboxIds = await writeAll(tx, invitedMessages(view, inviter, await adminEmails(tx, organisationId)));
    await recordChange(tx, ctx, {
      action: before ? "program_application.reinvited" : "program_application.invited",
      resource: resourceOf(view),
      before: before && presentApplication(before),
      after: presentApplication(view),
    });
    return { view, created: !before, outboxIds };
  });
}

function viewFor(application: ProgramApplication, program: Program, organisationName: string): ApplicationView {
  return { application, programName: program.name, programOrganisationId: program.organisationId, organisationName };
}

async function organisationNamed(tx: Queryable, id: string): Promise<{ name: string } | undefined> {
  const [row] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return row;
}

export type Verb = "apply" | "decline" | "accept" | "reject";

interface Transition {
  side: ApplicationSide;
  from: readonly ProgramApplicationStatus[];
  to: ProgramApplicationStatus;
  action: AuditAction;
}

/** The state machine: the invited organisation answers an invitation, the program's decides on it. */
export const TRANSITIONS: Record<Verb, Transition> = {
  apply: { side: "invited", from: ["invited"], to: "applied", action: "program_application.applied" },
  decline: { side: "invited", from: ["invited"], to: "declined", action: "program_application.declined" },
  accept: { side: "program", from: ["invited", "applied"], to: "accepted", action: "program_application.accepted" },
  reject: { side: "program", from: ["invited", "applied"], to: "rejected", action: "program_application.rejected" },
};

/**
 * Moves an application, under its row lock (and its program's share lock, so a deletion of the program is
 * serialised with an acceptance). Any other move is 409 naming the current status. An application that
 * arrives (`apply`) is emailed to the program's organisation's admins in the same transaction.
 */
export async function moveApplication(ctx: OrgContext, reached: ApplicationView, verb: Verb): Promise<Written> {
  const transition = TRANSITIONS[verb];
  return ctx.db.transaction(async (tx) => {
    await lockProgramShared(tx, reached.application.programId);
    const [current] = await tx
      .select()
      .from(programApplications)
      .where(eq(programApplications.id, reached.application.id))
      .for("update");
    if (!current) throw notFound("program application");
    if (!transition.from.includes(current.status)) {
      throw conflict(
        `The application is ${current.status}; :${verb} needs one that is ${transition.from.join(" or ")}.`,
        { status: current.status },
      );
    }
    const now = new Date();
    const [moved] = await tx
      .update(programApplications)
      .set(verb === "apply" ? { status: transition.to, appliedAt: now } : { status: transition.to, decidedAt: now })
      .where(eq(programApplications.id, current.id))
      .returning();
    if (!moved) throw notFound("program application");
    const before = { ...reached, application: current };
    const view = { ...reached, application: moved };
    const outboxIds =
      verb === "apply"
        ? await writeAll(tx, appliedMessages(view, await adminEmails(tx, view.programOrganisationId)))
        : [];
    await recordChange(tx, ctx, {
      action: transition.action,
      resource: resourceOf(view),
      before: presentApplication(before),
      after: presentApplication(view),
    });
    return { view, created: false, outboxIds };
  });
}
