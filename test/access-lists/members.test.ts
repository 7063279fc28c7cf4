import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { addPerson, auditTrail, call, type Person, snapshot } from "../harness";
import { getAccess, memberAccess, putAccess, shown, sorted, storedGrants, type World, world } from "./helpers";

let w: World;
let owner: string;

beforeAll(async () => {
  w = await world("access");
  owner = w.tenant.people.owner.token;
});

const lastEvent = async () => (await auditTrail(w.tenant.uuid)).at(-1)!;

describe("a member's access list", () => {
  it("starts empty; PUT replaces it whole (add, remove, replace, empty) and GET shows what is stored", async () => {
    const person = await addPerson(w.tenant, "member", "reconciled");
    const path = memberAccess(person.memberId);
    const [p1, p2, p3] = w.own.map((program) => program.id) as [string, string, string];

    const empty = await getAccess(path, owner);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body).toEqual({
      object: "access_list",
      member_id: person.memberId,
      organisation_id: w.tenant.id,
      global_access: false,
      programs: [],
    });

    for (const list of [[p1, p2], [p2, p3], [p3, p1, p2], [p2], []]) {
      const put = await putAccess(path, owner, list);
      expect(put.status, put.text).toBe(200);
      expect(shown(put)).toEqual(sorted(list));
      expect(await storedGrants(person.memberId)).toEqual(sorted(list));
      const got = await getAccess(path, owner);
      expect(got.body).toEqual(put.body);
    }
  });

  it("shows each program's name, and counts a repeated id once", async () => {
    const person = await addPerson(w.tenant, "member", "named");
    const p1 = w.own[0].id;
    const put = await putAccess(memberAccess(person.memberId), owner, [p1, p1, p1]);
    expect(put.status, put.text).toBe(200);
    expect(put.body.programs).toEqual([{ id: p1, name: expect.stringMatching(/^program /) }]);
    expect(await storedGrants(person.memberId)).toEqual([p1]);
  });

  it("is audited once with the whole list before and after and what was added and removed", async () => {
    const person = await addPerson(w.tenant, "member", "audited");
    const path = memberAccess(person.memberId);
    const [p1, p2, p3] = w.own.map((program) => program.id) as [string, string, string];
    await putAccess(path, owner, [p1, p2]);
    const before = (await auditTrail(w.tenant.uuid)).length;
    const put = await putAccess(path, owner, [p2, p3]);
    expect(put.status, put.text).toBe(200);
    const trail = await auditTrail(w.tenant.uuid);
    expect(trail).toHaveLength(before + 1);
    const event = trail.at(-1)!;
    expect(event).toMatchObject({
      action: "member.access_replaced",
      resourceType: "member",
      resourceId: parseTypeId(ID_PREFIX.membership, person.memberId),
      resourceName: person.email,
      actorType: "user",
    });
    expect(event.changes).toEqual({
      programs: { old: sorted([p1, p2]), new: sorted([p2, p3]) },
      programs_added: { old: null, new: [p3] },
      programs_removed: { old: null, new: [p1] },
    });
    const feed = await call("GET", `/v1/audit-events?organisation_id=${w.tenant.id}&action=member.access_replaced`, {
      token: owner,
    });
    expect(feed.body.data[0].changes).toEqual(event.changes);
  });

  it("the same list again (in any order, with repeats) writes nothing: no rows, no audit event", async () => {
    const person = await addPerson(w.tenant, "member", "noop");
    const path = memberAccess(person.memberId);
    const [p1, p2] = w.own.map((program) => program.id) as [string, string];
    await putAccess(path, owner, [p1, p2]);
    const grantsBefore = await storedGrants(person.memberId);
    const before = await snapshot(w.tenant.uuid);
    const again = await putAccess(path, owner, [p2, p1, p2]);
    expect(again.status, again.text).toBe(200);
    expect(shown(again)).toEqual(sorted([p1, p2]));
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
    expect(await storedGrants(person.memberId)).toEqual(grantsBefore);
  });

  it("grants a program the organisation delivers under (accepted application), not one it is only invited to", async () => {
    const person = await addPerson(w.tenant, "member", "delivering");
    const path = memberAccess(person.memberId);
    const delivered = await putAccess(path, owner, [w.delivered.id, w.own[0].id]);
    expect(delivered.status, delivered.text).toBe(200);
    expect(shown(delivered)).toEqual(sorted([w.delivered.id, w.own[0].id]));
    const invited = await putAccess(path, owner, [w.invitedOnly.id]);
    expect(invited.status, invited.text).toBe(400);
    expect(invited.body.error.fields.programs[0]).toContain(w.invitedOnly.id);
    expect(await storedGrants(person.memberId)).toEqual(sorted([w.delivered.id, w.own[0].id]));
  });

  it("another organisation's program, or one that does not exist, is the same 400 on programs; nothing is written", async () => {
    const person = await addPerson(w.tenant, "member", "foreign");
    const path = memberAccess(person.memberId);
    await putAccess(path, owner, [w.own[0].id]);
    const missing = "prg_01h455vb4pex5vsknk084sn02q";
    const before = await snapshot(w.tenant.uuid);
    const replies = await Promise.all([
      putAccess(path, owner, [w.own[1].id, w.foreign.id]),
      putAccess(path, owner, [w.own[1].id, missing]),
    ]);
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(Object.keys(reply.body.error.fields)).toEqual(["programs"]);
    }
    const [foreign, unknown] = replies.map((reply) => reply.body.error.fields.programs[0] as string);
    expect(foreign!.replace(w.foreign.id, "ID")).toBe(unknown!.replace(missing, "ID"));
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
    expect(await storedGrants(person.memberId)).toEqual([w.own[0].id]);
  });

  it("refuses bad bodies with a 400 naming the field: wrong prefix, not a list, unknown field, over 500", async () => {
    const path = memberAccess(w.tenant.people.member.memberId);
    const tooMany = Array.from({ length: 501 }, () => w.own[0].id);
    for (const [body, field] of [
      [{ programs: [w.tenant.id] }, "programs.0"],
      [{ programs: w.own[0].id }, "programs"],
      [{ programs: [], extra: true }, "extra"],
      [{}, "programs"],
      [{ programs: tooMany }, "programs"],
    ] as const) {
      const reply = await call("PUT", path, { token: owner, body });
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.error.fields).toHaveProperty([field]);
    }
  });

  it("a member whose role has global access (owner, admin) is 409: the list would mean nothing", async () => {
    const before = await snapshot(w.tenant.uuid);
    for (const target of [w.tenant.people.admin, w.tenant.people.owner]) {
      const reply = await putAccess(memberAccess(target.memberId), owner, [w.own[0].id]);
      expect(reply.status, reply.text).toBe(409);
      expect(reply.body.error.code).toBe("conflict");
      expect(reply.body.error.message).toContain("global access");
      const got = await getAccess(memberAccess(target.memberId), w.tenant.people.viewer.token);
      expect(got.body).toMatchObject({ global_access: true, programs: [] });
    }
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
  });

  it("grants are kept, dormant, when the member's role gains global access, and apply again when it loses it", async () => {
    const person = await addPerson(w.tenant, "member", "promoted");
    const path = memberAccess(person.memberId);
    await putAccess(path, owner, [w.own[1].id]);
    const role = (roleId: string) =>
      call("PATCH", `/v1/members/${person.memberId}`, { token: owner, body: { role_id: roleId } });
    expect((await role(w.tenant.roleIds.admin)).status).toBe(200);
    const dormant = await getAccess(path, owner);
    expect(dormant.body).toMatchObject({ global_access: true, programs: [{ id: w.own[1].id }] });
    expect((await putAccess(path, owner, [])).status).toBe(409);
    expect((await role(w.tenant.roleIds.manager)).status).toBe(200);
    const again = await getAccess(path, owner);
    expect(again.body).toMatchObject({ global_access: false, programs: [{ id: w.own[1].id }] });
  });

  it("any member reads a list (a person their own); changing one takes members:write and the create scope", async () => {
    const person = await addPerson(w.tenant, "viewer", "reader");
    const path = memberAccess(person.memberId);
    await putAccess(path, owner, [w.own[2].id]);
    const own = await getAccess(path, person.token);
    expect(own.status, own.text).toBe(200);
    expect(shown(own)).toEqual([w.own[2].id]);
    const before = await snapshot(w.tenant.uuid);
    const refusals: [string, Person | string][] = [
      ["viewer", w.tenant.people.viewer],
      ["manager", w.tenant.people.manager],
      ["self", person],
      ["owner without create", await w.tenant.tokenFor("owner", ["read"])],
    ];
    for (const [who, caller] of refusals) {
      const token = typeof caller === "string" ? caller : caller.token;
      const reply = await putAccess(path, token, []);
      expect(reply.status, `${who}: ${reply.text}`).toBe(403);
      expect(reply.body.error.code).toBe("permission_denied");
    }
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
    expect(await storedGrants(person.memberId)).toEqual([w.own[2].id]);
  });

  it("another organisation's members get 404 on both methods, and its member ids are 404 here", async () => {
    const path = memberAccess(w.tenant.people.member.memberId);
    const stranger = w.partner.people.owner.token;
    const before = await snapshot(w.tenant.uuid);
    for (const reply of [await getAccess(path, stranger), await putAccess(path, stranger, [])]) {
      expect(reply.status, reply.text).toBe(404);
      expect(reply.body.error.code).toBe("not_found");
    }
    const theirs = await putAccess(memberAccess(w.partner.people.member.memberId), owner, [w.own[0].id]);
    expect(theirs.status).toBe(404);
    expect(await snapshot(w.tenant.uuid)).toEqual(before);
  });

  it("is removed with the membership", async () => {
    const person = await addPerson(w.tenant, "member", "leaving");
    await putAccess(memberAccess(person.memberId), owner, [w.own[0].id, w.own[1].id]);
    expect(await storedGrants(person.memberId)).toHaveLength(2);
    expect((await call("DELETE", `/v1/members/${person.memberId}`, { token: owner })).status).toBe(204);
    expect(await storedGrants(person.memberId)).toEqual([]);
    expect((await lastEvent()).action).toBe("member.removed");
  });
});
