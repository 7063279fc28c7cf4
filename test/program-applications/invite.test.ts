// Inviting an organisation into a program: one application per pair, invited again only after a decline or
// rejection, the invited organisation's admins emailed through the outbox, the audit trail.

import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { programApplications } from "../../schema";
import {
  addPerson,
  auditTrail,
  createTenant,
  insertApplication,
  makeProgramManager,
  snapshot,
  type Tenant,
  withDb,
} from "../harness";
import { grant } from "../programs/helpers";
import { act, applicationUuid, invite, newProgram, outboxTo } from "./helpers";

let host: Tenant;
let guest: Tenant;
let outsider: Tenant;

beforeAll(async () => {
  [host, guest, outsider] = await Promise.all([createTenant("host"), createTenant("guest"), createTenant("outsider")]);
  await makeProgramManager(host);
});

describe("inviting an organisation", () => {
  it("the program's owner invites another organisation: 201 invited, audited in the program's organisation", async () => {
    const program = await newProgram(host);
    const invited = await invite(program.id, guest.id, host.people.owner.token);
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body).toMatchObject({
      object: "program_application",
      program_id: program.id,
      program_organisation_id: host.id,
      organisation_id: guest.id,
      organisation_name: guest.name,
      status: "invited",
      applied_at: null,
      decided_at: null,
    });
    expect(invited.body.id).toMatch(/^papp_/);
    const events = (await auditTrail(host.uuid)).filter((e) => e.resourceId === applicationUuid(invited.body.id));
    expect(events.map((e) => e.action)).toEqual(["program_application.invited"]);
    expect(events[0]!.changes).toMatchObject({ status: { old: null, new: "invited" } });
  });

  it("emails the invited organisation's owner and admins (not its other members), in the outbox", async () => {
    const extraAdmin = await addPerson(guest, "admin", "second-admin");
    const program = await newProgram(host);
    const invited = await invite(program.id, guest.id, host.people.owner.token);
    expect(invited.status).toBe(201);
    for (const admin of [guest.people.owner.email, guest.people.admin.email, extraAdmin.email]) {
      const messages = (await outboxTo(admin)).filter((m) => m.textBody.includes(invited.body.id));
      expect(messages, admin).toHaveLength(1);
      expect(messages[0]).toMatchObject({ channel: "email", invitationId: null, organisationId: guest.uuid });
      expect(messages[0]!.subject).toContain(guest.name);
      expect(messages[0]!.textBody).toContain(`${invited.body.id}:apply`);
    }
    for (const role of ["manager", "member", "viewer"] as const) {
      const messages = await outboxTo(guest.people[role].email);
      expect(
        messages.filter((m) => m.textBody.includes(invited.body.id)),
        role,
      ).toEqual([]);
    }
  });

  it("inviting the program's own organisation is a 400 on organisation_id", async () => {
    const program = await newProgram(host);
    const refused = await invite(program.id, host.id, host.people.owner.token);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(["organisation_id"]);
  });

  it("an organisation id that names no organisation is a 400 on organisation_id; another prefix too", async () => {
    const program = await newProgram(host);
    const ghost = await invite(program.id, "org_01h455vb4pex5vsknk084sn02q", host.people.owner.token);
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.fields.organisation_id).toEqual(["is not an organisation"]);
    expect((await invite(program.id, program.id, host.people.owner.token)).status).toBe(400);
  });

  it("inviting again is 409 with existing_id and status, whatever the status but declined or rejected", async () => {
    for (const status of ["invited", "applied", "accepted"] as const) {
      const program = await newProgram(host);
      const existing = await insertApplication(program.uuid, guest, status);
      const again = await invite(program.id, guest.id, host.people.owner.token);
      expect(again.status, `${status}: ${again.text}`).toBe(409);
      expect(again.body.error).toMatchObject({ code: "conflict", existing_id: existing.id, status });
    }
  });

  it("a declined or rejected application is invited again: 200, back to invited, reinvited in the trail, emailed", async () => {
    for (const answer of ["decline", "reject"] as const) {
      const program = await newProgram(host);
      const first = await invite(program.id, guest.id, host.people.owner.token);
      const token = answer === "decline" ? guest.people.owner.token : host.people.owner.token;
      expect((await act(first.body.id, answer, token)).status).toBe(200);
      const again = await invite(program.id, guest.id, host.people.owner.token);
      expect(again.status, again.text).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, status: "invited", decided_at: null, applied_at: null });
      expect(Date.parse(again.body.invited_at)).toBeGreaterThanOrEqual(Date.parse(first.body.invited_at));
      const events = (await auditTrail(host.uuid)).filter((e) => e.resourceId === applicationUuid(first.body.id));
      expect(events.at(-1)!.action).toBe("program_application.reinvited");
      expect(events.at(-1)!.changes.status).toEqual({
        old: answer === "decline" ? "declined" : "rejected",
        new: "invited",
      });
      const mails = (await outboxTo(guest.people.owner.email)).filter((m) => m.textBody.includes(first.body.id));
      expect(mails).toHaveLength(2);
    }
  });

  it("parallel invitations of one organisation make one row: one 201, the others 409 with its id", async () => {
    const program = await newProgram(host);
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => invite(program.id, guest.id, host.people.owner.token)),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const winner = replies.find((reply) => reply.status === 201)!;
    for (const loser of replies.filter((reply) => reply.status === 409)) {
      expect(loser.body.error.existing_id).toBe(winner.body.id);
    }
    const [rows] = await withDb((db) =>
      db
        .select({ n: count() })
        .from(programApplications)
        .where(
          and(eq(programApplications.programId, program.uuid), eq(programApplications.organisationId, guest.uuid)),
        ),
    );
    expect(rows!.n).toBe(1);
  });
});

describe("who invites", () => {
  it("a viewer of the program's organisation lacks programs:write (403); another organisation gets 404", async () => {
    const program = await newProgram(host);
    const before = await snapshot(guest.uuid);
    // Outside the viewer's access list the program is not there for them; inside it, they may not write.
    expect((await invite(program.id, guest.id, host.people.viewer.token)).status).toBe(404);
    await grant(host, host.people.viewer.memberId, program.id);
    expect((await invite(program.id, guest.id, host.people.viewer.token)).status).toBe(403);
    expect((await invite(program.id, guest.id, outsider.people.owner.token)).status).toBe(404);
    expect(await snapshot(guest.uuid)).toEqual(before);
  });

  it("an invited organisation reads the program but cannot invite others into it (403)", async () => {
    const program = await newProgram(host);
    await insertApplication(program.uuid, guest, "accepted");
    const refused = await invite(program.id, outsider.id, guest.people.owner.token);
    expect(refused.status, refused.text).toBe(403);
  });

  it("a manager without global access invites only into the programs in their access list", async () => {
    const manager = await addPerson(host, "manager", "limited");
    const program = await newProgram(host);
    expect((await invite(program.id, guest.id, manager.token)).status).toBe(404);
    await grant(host, manager.memberId, program.id);
    expect((await invite(program.id, guest.id, manager.token)).status).toBe(201);
  });
});
