// Reading applications: by program (its organisation), by organisation (the invited one), filtered by status,
// paged; one application readable by both organisations and nobody else.

import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, insertApplication, makeProgramManager, type Tenant } from "../harness";
import { newProgram } from "./helpers";

let host: Tenant;
let guests: Tenant[];
let outsider: Tenant;

beforeAll(async () => {
  [host, outsider, ...guests] = await Promise.all([
    createTenant("list-host"),
    createTenant("list-outsider"),
    createTenant("list-guest-a"),
    createTenant("list-guest-b"),
    createTenant("list-guest-c"),
  ]);
  await makeProgramManager(host);
});

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((item) => item.id);
const list = (query: string, token: string) => call("GET", `/v1/program-applications?${query}`, { token });

describe("listing applications", () => {
  it("by program_id: the program's organisation sees every application, filtered by status, paged", async () => {
    const program = await newProgram(host);
    const statuses = ["invited", "applied", "accepted"] as const;
    const made: string[] = [];
    for (const [i, guest] of guests.entries())
      made.push((await insertApplication(program.uuid, guest, statuses[i])).id);
    const all = await list(`program_id=${program.id}`, host.people.owner.token);
    expect(all.status, all.text).toBe(200);
    expect(ids(all)).toEqual(made);
    expect(all.body.data[0]).toMatchObject({ program_name: expect.any(String), organisation_name: guests[0]!.name });
    const applied = await list(`program_id=${program.id}&status=applied`, host.people.owner.token);
    expect(ids(applied)).toEqual([made[1]]);
    const first = await list(`program_id=${program.id}&limit=2`, host.people.owner.token);
    expect(ids(first)).toEqual(made.slice(0, 2));
    expect(first.body.has_more).toBe(true);
    const rest = await list(
      `program_id=${program.id}&limit=2&cursor=${first.body.next_cursor}`,
      host.people.owner.token,
    );
    expect(ids(rest)).toEqual(made.slice(2));
    expect(rest.body.next_cursor).toBeNull();
  });

  it("by program_id: a participant gets 403 (it may not see the others), an outsider 404", async () => {
    const program = await newProgram(host);
    await insertApplication(program.uuid, guests[0]!, "accepted");
    const participant = await list(`program_id=${program.id}`, guests[0]!.people.owner.token);
    expect(participant.status, participant.text).toBe(403);
    expect((await list(`program_id=${program.id}`, outsider.people.owner.token)).status).toBe(404);
  });

  it("by organisation_id: the invited organisation sees its applications to every program, and only its own", async () => {
    const guest = guests[1]!;
    const [p1, p2] = [await newProgram(host), await newProgram(host)];
    const a1 = await insertApplication(p1.uuid, guest, "invited");
    const a2 = await insertApplication(p2.uuid, guest, "declined");
    await insertApplication(p2.uuid, guests[2]!, "invited");
    const mine = await list(`organisation_id=${guest.id}&limit=100`, guest.people.viewer.token);
    expect(mine.status).toBe(200);
    expect(ids(mine)).toEqual(expect.arrayContaining([a1.id, a2.id]));
    expect(mine.body.data.every((a: { organisation_id: string }) => a.organisation_id === guest.id)).toBe(true);
    const declined = await list(`organisation_id=${guest.id}&status=declined&limit=100`, guest.people.viewer.token);
    expect(ids(declined)).toContain(a2.id);
    expect(ids(declined)).not.toContain(a1.id);
    // The program's organisation's own list by organisation_id holds what it was invited to: nothing here.
    expect(ids(await list(`organisation_id=${host.id}`, host.people.owner.token))).toEqual([]);
    expect((await list(`organisation_id=${guest.id}`, outsider.people.owner.token)).status).toBe(404);
  });

  it("program_id with organisation_id, a bad status or a wrong prefix is a 400", async () => {
    const program = await newProgram(host);
    for (const query of [
      `program_id=${program.id}&organisation_id=${host.id}`,
      `program_id=${program.id}&status=pending`,
      `program_id=${host.id}`,
    ]) {
      expect((await list(query, host.people.owner.token)).status, query).toBe(400);
    }
    expect((await list("", host.people.owner.token)).status).toBe(400);
  });
});

describe("one application", () => {
  it("both organisations read it (the invited one's viewer too); anyone else gets 404", async () => {
    const program = await newProgram(host);
    const application = await insertApplication(program.uuid, guests[0]!, "applied");
    for (const token of [host.people.owner.token, guests[0]!.people.viewer.token]) {
      const read = await call("GET", `/v1/program-applications/${application.id}`, { token });
      expect(read.status, read.text).toBe(200);
      expect(read.body).toMatchObject({ id: application.id, status: "applied", program_id: program.id });
    }
    for (const token of [outsider.people.owner.token, guests[1]!.people.owner.token]) {
      expect((await call("GET", `/v1/program-applications/${application.id}`, { token })).status).toBe(404);
    }
  });

  it("the program's side reads within the access list: a viewer without the program gets 404", async () => {
    const program = await newProgram(host);
    const application = await insertApplication(program.uuid, guests[0]!, "applied");
    const read = await call("GET", `/v1/program-applications/${application.id}`, { token: host.people.viewer.token });
    expect(read.status).toBe(404);
  });
});
