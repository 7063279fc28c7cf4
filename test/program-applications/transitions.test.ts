// The application's state machine: the invited organisation applies or declines, the program's accepts or
// rejects; every other move is a 409 naming the status; each move is audited in the acting organisation.

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/background";
import { outboxMessages } from "../../schema";
import {
  addPerson,
  auditTrail,
  call,
  createTenant,
  expectOneWinner,
  insertApplication,
  mailFor,
  makeProgramManager,
  type Tenant,
  testEnv,
  withDb,
} from "../harness";
import { grant } from "../programs/helpers";
import { act, applicationUuid, invite, NO_QUEUE, newProgram, outboxTo, type Verb } from "./helpers";

let host: Tenant;
let guest: Tenant;

beforeAll(async () => {
  [host, guest] = await Promise.all([createTenant("machine-host"), createTenant("machine-guest")]);
  await makeProgramManager(host);
});

/** A fresh application in the given status, made in the database. */
async function applicationIn(status: "invited" | "applied" | "accepted" | "rejected" | "declined") {
  const program = await newProgram(host);
  return (await insertApplication(program.uuid, guest, status)).id;
}

const byInvited = (verb: Verb) => verb === "apply" || verb === "decline";
const tokenFor = (verb: Verb) => (byInvited(verb) ? guest.people.owner.token : host.people.owner.token);

const LEGAL: Record<Verb, { from: string[]; to: string; stamp: "applied_at" | "decided_at" }> = {
  apply: { from: ["invited"], to: "applied", stamp: "applied_at" },
  decline: { from: ["invited"], to: "declined", stamp: "decided_at" },
  accept: { from: ["invited", "applied"], to: "accepted", stamp: "decided_at" },
  reject: { from: ["invited", "applied"], to: "rejected", stamp: "decided_at" },
};
const STATUSES = ["invited", "applied", "accepted", "rejected", "declined"] as const;

describe("every move from every status", () => {
  for (const verb of Object.keys(LEGAL) as Verb[]) {
    for (const from of STATUSES) {
      const legal = LEGAL[verb].from.includes(from);
      it(`:${verb} from ${from} is ${legal ? `200 → ${LEGAL[verb].to}` : "409 naming the status"}`, async () => {
        const id = await applicationIn(from);
        const actor = byInvited(verb) ? guest : host;
        const trailBefore = (await auditTrail(actor.uuid)).length;
        const reply = await act(id, verb, tokenFor(verb));
        if (!legal) {
          expect(reply.status, reply.text).toBe(409);
          expect(reply.body.error).toMatchObject({ code: "conflict", status: from });
          expect(reply.body.error.message).toContain(from);
          expect((await auditTrail(actor.uuid)).length).toBe(trailBefore);
          return;
        }
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body.status).toBe(LEGAL[verb].to);
        expect(reply.body[LEGAL[verb].stamp]).not.toBeNull();
        const events = (await auditTrail(actor.uuid)).filter((e) => e.resourceId === applicationUuid(id));
        expect(events.map((e) => e.action)).toEqual([
          `program_application.${verb === "apply" ? "applied" : `${LEGAL[verb].to}`}`,
        ]);
        expect(events[0]!.changes.status).toEqual({ old: from, new: LEGAL[verb].to });
      });
    }
  }
});

describe("who moves an application", () => {
  it("the program's organisation cannot apply or decline, the invited one cannot accept or reject (403)", async () => {
    const id = await applicationIn("invited");
    for (const verb of ["apply", "decline"] as const) {
      const reply = await act(id, verb, host.people.owner.token);
      expect(reply.status, `${verb}: ${reply.text}`).toBe(403);
      expect(reply.body.error.message).toMatch(/invited organisation/);
    }
    for (const verb of ["accept", "reject"] as const) {
      const reply = await act(id, verb, guest.people.owner.token);
      expect(reply.status, verb).toBe(403);
    }
    expect((await call("GET", `/v1/program-applications/${id}`, { token: host.people.owner.token })).body.status).toBe(
      "invited",
    );
  });

  it("a viewer of the invited organisation lacks programs:write (403); another organisation gets 404", async () => {
    const id = await applicationIn("invited");
    const outsider = await createTenant("machine-outsider");
    expect((await act(id, "apply", guest.people.viewer.token)).status).toBe(403);
    expect((await act(id, "apply", outsider.people.owner.token)).status).toBe(404);
    expect((await act(id, "accept", outsider.people.owner.token)).status).toBe(404);
    expect((await call("GET", `/v1/program-applications/${id}`, { token: outsider.people.owner.token })).status).toBe(
      404,
    );
  });

  it("on the program's side the access list applies: a manager decides only on granted programs", async () => {
    const program = await newProgram(host);
    const id = (await insertApplication(program.uuid, guest, "applied")).id;
    const person = await addPerson(host, "manager", "decider");
    expect((await act(id, "accept", person.token)).status).toBe(404);
    await grant(host, person.memberId, program.id);
    expect((await act(id, "accept", person.token)).status).toBe(200);
  });

  it("a parallel accept and reject: exactly one wins, the other is 409 naming the new status", async () => {
    for (let round = 0; round < 5; round++) {
      const id = await applicationIn("applied");
      const replies = await Promise.all([
        act(id, "accept", host.people.owner.token),
        act(id, "reject", host.people.admin.token),
      ]);
      expectOneWinner(replies, "conflict");
    }
  });
});

describe("the emails", () => {
  it("an application that arrives is emailed to the program's owner and admins; the sweep delivers it", async () => {
    const program = await newProgram(host);
    const invited = await invite(program.id, guest.id, host.people.owner.token);
    const applied = await call("POST", `/v1/program-applications/${invited.body.id}:apply`, {
      token: guest.people.admin.token,
      env: NO_QUEUE,
    });
    expect(applied.status, applied.text).toBe(200);
    for (const admin of [host.people.owner.email, host.people.admin.email]) {
      const messages = (await outboxTo(admin)).filter((m) => m.textBody.includes(invited.body.id));
      expect(messages, admin).toHaveLength(1);
      expect(messages[0]).toMatchObject({ organisationId: host.uuid, invitationId: null, status: "pending" });
      expect(messages[0]!.subject).toContain(`${guest.name} applied`);
    }
    expect((await outboxTo(host.people.manager.email)).filter((m) => m.textBody.includes(invited.body.id))).toEqual([]);
    // Nothing ties these messages to an invitation: the outbox delivers them all the same.
    await withDb((db) =>
      db
        .update(outboxMessages)
        .set({ nextAttemptAt: sql`now() - interval '5 minutes'` })
        .where(eq(outboxMessages.recipient, host.people.owner.email)),
    );
    await runCron({ ...testEnv, OUTBOX_QUEUE: undefined });
    const [sent] = (await outboxTo(host.people.owner.email)).filter((m) => m.subject?.includes("applied"));
    expect(sent!.status).toBe("sent");
    const mail = await mailFor(host.people.owner.email);
    expect(mail.some((m) => m.subject?.includes(`${guest.name} applied`))).toBe(true);
  });

  it("accepting, rejecting and declining send no email", async () => {
    for (const verb of ["accept", "reject", "decline"] as const) {
      const id = await applicationIn("invited");
      expect((await act(id, verb, tokenFor(verb))).status).toBe(200);
      for (const email of [host.people.owner.email, guest.people.owner.email]) {
        expect(
          (await outboxTo(email)).filter((m) => m.textBody.includes(id)),
          `${verb} → ${email}`,
        ).toEqual([]);
      }
    }
  });
});
