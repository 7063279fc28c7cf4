// The declarative access list (`program_grants`): the programs a member or service account without global access
// may reach. Shared by the members and service-accounts resources, whose verbs own the transaction and the audit
// event; this file reads a list and reconciles one inside the caller's transaction.

import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import { programApplications, programGrants, programs, roles } from "../../schema";
import type { Queryable } from "../platform/db";
import { permissionDenied, validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import type { Caller } from "../platform/permissions";
import type { OrgContext } from "../platform/tenancy";
import { programGranted } from "./reach";

/** The most programs one list holds. */
export const MAX_ACCESS_LIST = 500;
/** How many offending ids an error names before it says "and N more". */
const NAMED_IN_ERRORS = 10;

export const ReplaceAccessListBody = z
  .strictObject({
    programs: z.array(typeIdSchema(ID_PREFIX.program)).max(MAX_ACCESS_LIST).openapi({
      description:
        "The complete list (at most 500 program ids; duplicates count once). Programs left out lose their grant; `[]` clears the list.",
    }),
  })
  .openapi("ReplaceAccessList", { example: { programs: [] } });

const AccessListProgramSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.program).openapi({ description: "The program's id." }),
    name: z.string().max(200).openapi({ description: "The program's name." }),
  })
  .openapi("AccessListProgram");

/** The fields both access lists share (the member's and the service account's), after their holder's id. */
export const accessListFields = {
  organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation the list belongs to." }),
  global_access: z.boolean().openapi({
    description:
      "Whether the holder's role has global access. Then every program is reachable and the list is dormant: it is kept, not shown as in force, and applies again if the role loses global access; it cannot be replaced meanwhile (409).",
  }),
  programs: z.array(AccessListProgramSchema).max(MAX_ACCESS_LIST).openapi({
    description:
      "The programs granted, by id. A caller without global access sees only the ones they can reach themselves.",
  }),
};

export const ACCESS_LIST_EXAMPLE = {
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  global_access: false,
  programs: [{ id: "prg_01h455vb4pex5vsknk084sn02q", name: "Community health 2027" }],
};

/** Whose list it is. */
export interface GrantHolder {
  kind: "member" | "service_account";
  /** The membership's or the service account's id. */
  id: string;
}

export interface AccessProgram {
  id: string;
  name: string;
}

export interface AccessList {
  globalAccess: boolean;
  /** What the caller may see of the list, by id. */
  programs: AccessProgram[];
}

export function presentAccessPrograms(list: AccessList) {
  return list.programs.map((program) => ({ id: toTypeId(ID_PREFIX.program, program.id), name: program.name }));
}

interface GrantColumns {
  membershipId: PgColumn;
  serviceAccountId: PgColumn;
}
const holderIs = (table: GrantColumns, holder: GrantHolder): SQL =>
  eq(holder.kind === "member" ? table.membershipId : table.serviceAccountId, holder.id);

/** A program of the organisation: one it runs, or one it delivers under (an accepted application). */
function ofOrganisation(organisationId: string): SQL {
  return or(
    eq(programs.organisationId, organisationId),
    sql`exists (select 1 from ${programApplications} where ${programApplications.programId} = ${programs.id} and ${programApplications.organisationId} = ${organisationId} and ${programApplications.status} = 'accepted')`,
  ) as SQL;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One statement: whether the holder's role (`roleId`) has global access, and the programs of the list the caller
 * may see (all of them with global access; otherwise those the caller reaches too), oldest program first.
 */
export async function readAccessList(
  db: Queryable,
  caller: Caller,
  holder: GrantHolder,
  roleId: string,
): Promise<AccessList> {
  // Aliased: programGranted() looks into program_grants itself, for the caller's own grants.
  const held = alias(programGrants, "held");
  const rows = await db
    .select({ globalAccess: roles.globalAccess, program: { id: programs.id, name: programs.name } })
    .from(roles)
    .leftJoin(held, and(holderIs(held, holder), programGranted(caller, held.programId)))
    .leftJoin(programs, eq(programs.id, held.programId))
    .where(eq(roles.id, roleId))
    .orderBy(asc(programs.id));
  return {
    globalAccess: rows[0]?.globalAccess ?? false,
    programs: rows.flatMap((row) => (row.program ? [row.program] : [])),
  };
}

export interface Reconciled {
  /** The whole list before and after, sorted ids (what the audit event compares). */
  before: string[];
  after: string[];
  added: string[];
  removed: string[];
  /** What the caller sees of the new list. */
  visible: AccessList;
}

function naming(ids: string[]): string {
  const shown = ids.slice(0, NAMED_IN_ERRORS).map((id) => toTypeId(ID_PREFIX.program, id));
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/**
 * Makes the holder's list the requested one, inside the caller's transaction (which holds the holder's row
 * locked, so concurrent replacements of one list run one after the other).
 * - Every program must be the organisation's own or one it delivers under (400 on `programs` otherwise, the same
 *   for an id that does not exist at all).
 * - A caller without global access grants only programs they reach themselves (403 naming them), and sees and
 *   replaces only that part of the list: grants outside their reach are neither shown nor removed.
 * Writes only the difference; an identical list writes nothing.
 */
export async function reconcileGrants(
  tx: Queryable,
  ctx: OrgContext,
  holder: GrantHolder,
  requestedIds: readonly string[],
): Promise<Reconciled> {
  const requested = [...new Set(requestedIds)];
  const held = alias(programGrants, "held");
  const current = await tx
    .select({ id: programs.id, reachable: sql<boolean>`${programGranted(ctx.caller, held.programId)}` })
    .from(held)
    .innerJoin(programs, eq(programs.id, held.programId))
    .where(holderIs(held, holder));
  const found =
    requested.length === 0
      ? []
      : await tx
          .select({
            id: programs.id,
            name: programs.name,
            reachable: sql<boolean>`${programGranted(ctx.caller, programs.id)}`,
          })
          .from(programs)
          .where(and(inArray(programs.id, requested), ofOrganisation(ctx.organisationId)));
  const foundIds = new Set(found.map((program) => program.id));
  const unknown = requested.filter((id) => !foundIds.has(id));
  if (unknown.length > 0) {
    throw validationError({
      programs: [`not programs of this organisation (nor delivered under): ${naming(unknown)}`],
    });
  }
  const unreachable = found.filter((program) => !program.reachable).map((program) => program.id);
  if (unreachable.length > 0) {
    throw permissionDenied(
      `You can only grant programs you can reach yourself; you cannot reach ${naming(unreachable)}.`,
    );
  }
  const kept = current.filter((program) => !program.reachable).map((program) => program.id);
  const after = [...new Set([...requested, ...kept])].sort();
  if (after.length > MAX_ACCESS_LIST) {
    throw validationError({
      programs: [
        `the list would hold ${after.length} programs (${kept.length} of them outside your reach); at most ${MAX_ACCESS_LIST}`,
      ],
    });
  }
  const before = current.map((program) => program.id).sort();
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  if (removed.length > 0) {
    await tx
      .delete(programGrants)
      .where(and(holderIs(programGrants, holder), inArray(programGrants.programId, removed)));
  }
  if (added.length > 0) {
    await tx.insert(programGrants).values(
      added.map((programId) => ({
        organisationId: ctx.organisationId,
        programId,
        membershipId: holder.kind === "member" ? holder.id : null,
        serviceAccountId: holder.kind === "service_account" ? holder.id : null,
      })),
    );
  }
  const programsShown = found.map(({ id, name }) => ({ id, name })).sort(byId);
  return { before, after, added, removed, visible: { globalAccess: false, programs: programsShown } };
}

/**
 * Whoever may act as the holder (a credential of a service account is issued to the caller) reaches what its
 * list reaches: a caller without global access may do so only when the whole list is within their own reach
 * (403 naming the programs outside it). Read inside the caller's transaction, which holds the holder's row locked.
 */
export async function assertListWithinReach(tx: Queryable, caller: Caller, holder: GrantHolder): Promise<void> {
  if (caller.globalAccess) return;
  const held = alias(programGrants, "held");
  const beyond = await tx
    .select({ id: held.programId })
    .from(held)
    .where(and(holderIs(held, holder), sql`not ${programGranted(caller, held.programId)}`))
    .orderBy(asc(held.programId))
    .limit(NAMED_IN_ERRORS + 1);
  if (beyond.length > 0) {
    const shown = naming(beyond.slice(0, NAMED_IN_ERRORS).map((row) => row.id));
    const more = beyond.length > NAMED_IN_ERRORS ? " and more" : "";
    throw permissionDenied(
      `Its access list reaches programs you cannot reach yourself (${shown}${more}); ask someone who reaches them.`,
    );
  }
}

/** The audit event's two sides: the whole list before and after, and what was added and removed. */
export function auditedLists(result: Reconciled) {
  const ids = (list: string[]) => list.map((id) => toTypeId(ID_PREFIX.program, id));
  return {
    before: { programs: ids(result.before) },
    after: {
      programs: ids(result.after),
      ...(result.added.length > 0 ? { programs_added: ids(result.added) } : {}),
      ...(result.removed.length > 0 ? { programs_removed: ids(result.removed) } : {}),
    },
  };
}
