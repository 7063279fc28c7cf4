// Parallel replacements of one list run one after the other: the final list is exactly one of the requests, and
// each replacement that changed something wrote one audit event whose "before" is the previous one's "after".
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { auditEvents } from "../../schema";
import { addPerson, insertProgram, RACE_ROUNDS, withDb } from "../harness";
import {
  accountAccess,
  type HolderPath,
  memberAccess,
  putAccess,
  serviceAccount,
  sorted,
  storedGrants,
  type World,
  world,
} from "./helpers";

let w: World;
let owner: string;
let lists: string[][];

beforeAll(async () => {
  w = await world("access-race");
  owner = w.tenant.people.owner.token;
  const more = await Promise.all(Array.from({ length: 5 }, () => insertProgram(w.tenant)));
  const ids = [...w.own, ...more].map((program) => program.id);
  // Overlapping lists of different sizes, none equal to another or empty (so none is a no-op after another).
  lists = [ids.slice(0, 3), ids.slice(2, 7), [ids[0]!, ids[7]!], ids.slice(1, 8), [ids[4]!]];
});

async function eventsAbout(resourceType: string, holderUuid: string) {
  return withDb((db) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceType, resourceType), eq(auditEvents.resourceId, holderUuid)))
      .orderBy(asc(auditEvents.id)),
  );
}

/** Races every list at once against one holder, then checks the outcome is one serial order of them. */
async function race(path: HolderPath, holderId: string, resourceType: string, holderUuid: string) {
  // From an empty list, so no request is a no-op whatever the order.
  expect((await putAccess(path, owner, [])).status).toBe(200);
  const replies = await Promise.all(lists.map((list) => putAccess(path, owner, list)));
  for (const reply of replies) expect(reply.status, reply.text).toBe(200);
  const final = await storedGrants(holderId);
  expect(lists.map(sorted), "the final list is one of the requests, with nothing mixed in").toContainEqual(final);
  const events = (await eventsAbout(resourceType, holderUuid)).slice(-lists.length);
  expect(events).toHaveLength(lists.length);
  const afters = events.map((event) => event.changes.programs!.new as string[]);
  // Each request's list is written exactly once, and each event starts where the previous one ended.
  expect(afters.map((list) => list.join()).sort()).toEqual(lists.map((list) => sorted(list).join()).sort());
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.changes.programs!.old).toEqual(afters[i - 1]);
  }
  expect(afters.at(-1)).toEqual(final);
}

describe("concurrent replacements of one access list", () => {
  it("for a member: the final list is exactly one request's, one audit event per request, in a serial order", async () => {
    const person = await addPerson(w.tenant, "member", "raced");
    const uuid = parseTypeId(ID_PREFIX.membership, person.memberId)!;
    for (let round = 0; round < RACE_ROUNDS; round++) {
      await race(memberAccess(person.memberId), person.memberId, "member", uuid);
    }
  });

  it("for a service account: the same", async () => {
    const robot = await serviceAccount(w.tenant, w.tenant.roleIds.member);
    const uuid = parseTypeId(ID_PREFIX.service_account, robot.id)!;
    for (let round = 0; round < RACE_ROUNDS; round++) {
      await race(accountAccess(robot.id), robot.id, "service_account", uuid);
    }
  });

  it("the same list sent in parallel is written once: one event, the rest no-ops", async () => {
    const person = await addPerson(w.tenant, "member", "twins");
    const uuid = parseTypeId(ID_PREFIX.membership, person.memberId)!;
    const list = lists[1]!;
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => putAccess(memberAccess(person.memberId), owner, list)),
    );
    for (const reply of replies) expect(reply.status, reply.text).toBe(200);
    expect(await storedGrants(person.memberId)).toEqual(sorted(list));
    expect(await eventsAbout("member", uuid)).toHaveLength(1);
  });
});
