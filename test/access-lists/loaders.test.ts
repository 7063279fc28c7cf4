// The access list's effect through the loaders every programs, opportunities and units endpoint uses: a member or
// service account without global access reaches only the programs in its list, the managed opportunities under
// them, and (always) its organisation's standalone opportunities; 404 for the rest, from either side.
import { beforeAll, describe, expect, it } from "vitest";
import { insertApplication, insertOpportunity, insertProgram, type Made } from "../harness";
import { accountAccess, memberAccess, putAccess, sorted, type World, world } from "./helpers";
import { probe } from "./probe";

let w: World;
/** A second program of the partner that the tenant delivers under, granted to nobody. */
let delivered2: Made;
/** The tenant's opportunities: managed under the partner's programs, standalone, and under its own programs. */
let o: { managed: Made; managed2: Made; standalone: Made; own0: Made; own1: Made };

const reach = async (path: string, token: string) => {
  const reply = await probe(path, token);
  return reply.status === 200 ? reply.body.side : reply.status;
};
const program = (made: Made, token: string) => reach(`/probe/programs/${made.id}`, token);
const opportunity = (made: Made, token: string) => reach(`/probe/opportunities/${made.id}`, token);
const listed = async (path: string, token: string) => (await probe(path, token)).body.data as string[];

beforeAll(async () => {
  w = await world("reach");
  delivered2 = await insertProgram(w.partner);
  await insertApplication(delivered2.uuid, w.tenant, "accepted");
  const managedUnder = (made: Made) => ({ programId: made.uuid, currency: "EUR", country: "DE" });
  o = {
    managed: await insertOpportunity(w.tenant, managedUnder(w.delivered)),
    managed2: await insertOpportunity(w.tenant, managedUnder(delivered2)),
    standalone: await insertOpportunity(w.tenant, { status: "draft", visibility: "organisation" }),
    own0: await insertOpportunity(w.tenant, managedUnder(w.own[0])),
    own1: await insertOpportunity(w.tenant, managedUnder(w.own[1])),
  };
  const t = w.tenant.people;
  const p = w.partner.people;
  for (const [path, token, list] of [
    [memberAccess(t.member.memberId), t.owner.token, [w.own[0].id, w.delivered.id]],
    [memberAccess(t.manager.memberId), t.owner.token, [w.own[0].id, w.delivered.id]],
    [memberAccess(p.member.memberId), p.owner.token, [w.delivered.id]],
  ] as const) {
    const reply = await putAccess(path, token, [...list]);
    if (reply.status !== 200) throw new Error(reply.text);
  }
});

describe("programs through reachProgram and programGranted", () => {
  it("a limited member reaches the listed programs, of their own organisation and delivered under, and nothing else", async () => {
    const token = w.tenant.people.member.token;
    expect(await program(w.own[0], token)).toBe("owner");
    expect(await program(w.delivered, token)).toBe("participant");
    expect(await program(w.own[1], token)).toBe(404);
    expect(await program(delivered2, token)).toBe(404);
    expect(await program(w.foreign, token)).toBe(404);
    expect(await listed(`/probe/programs?organisation_id=${w.tenant.id}`, token)).toEqual([w.own[0].id]);
  });

  it("a member with an empty list reaches no program; global access reaches them all", async () => {
    const viewer = w.tenant.people.viewer.token;
    for (const made of [...w.own, w.delivered]) expect(await program(made, viewer)).toBe(404);
    expect(await listed(`/probe/programs?organisation_id=${w.tenant.id}`, viewer)).toEqual([]);
    const admin = w.tenant.people.admin.token;
    for (const made of w.own) expect(await program(made, admin)).toBe("owner");
    expect(await program(delivered2, admin)).toBe("participant");
    expect(await program(w.foreign, admin)).toBe(404);
    expect(await listed(`/probe/programs?organisation_id=${w.tenant.id}`, admin)).toEqual(
      sorted(w.own.map((m) => m.id)),
    );
  });

  it("writing needs the program within the list and on the owner side", async () => {
    const manager = w.tenant.people.manager.token;
    expect(await reach(`/probe/programs/${w.own[0].id}/write`, manager)).toBe("owner");
    expect(await reach(`/probe/programs/${w.own[1].id}/write`, manager)).toBe(404);
    expect(await reach(`/probe/programs/${w.delivered.id}/write`, manager)).toBe(403);
  });
});

describe("opportunities through reachOpportunity and opportunityVisibleTo", () => {
  it("a limited member of the delivering organisation sees standalone ones and those under listed programs", async () => {
    const token = w.tenant.people.member.token;
    expect(await opportunity(o.standalone, token)).toBe("delivering");
    expect(await opportunity(o.managed, token)).toBe("delivering");
    expect(await opportunity(o.own0, token)).toBe("delivering");
    expect(await opportunity(o.managed2, token)).toBe(404);
    expect(await opportunity(o.own1, token)).toBe(404);
    expect(await listed(`/probe/opportunities?organisation_id=${w.tenant.id}`, token)).toEqual(
      sorted([o.standalone.id, o.managed.id, o.own0.id]),
    );
    const viewer = w.tenant.people.viewer.token;
    expect(await listed(`/probe/opportunities?organisation_id=${w.tenant.id}`, viewer)).toEqual([o.standalone.id]);
    expect(await opportunity(o.managed, viewer)).toBe(404);
  });

  it("the program's organisation sees the managed ones under its listed programs only", async () => {
    const member = w.partner.people.member.token;
    expect(await opportunity(o.managed, member)).toBe("program");
    expect(await opportunity(o.managed2, member)).toBe(404);
    expect(await opportunity(o.standalone, member)).toBe(404);
    expect(await listed(`/probe/opportunities?organisation_id=${w.partner.id}`, member)).toEqual([o.managed.id]);
    const manager = w.partner.people.manager.token;
    expect(await opportunity(o.managed, manager)).toBe(404);
    expect(await reach(`/probe/opportunities/${o.managed.id}/write`, manager)).toBe(404);
    const admin = w.partner.people.admin.token;
    expect(await reach(`/probe/opportunities/${o.managed.id}/write`, admin)).toBe("program");
    expect(await listed(`/probe/opportunities?organisation_id=${w.partner.id}`, admin)).toEqual(
      sorted([o.managed.id, o.managed2.id]),
    );
  });

  it("a limited manager changes a managed opportunity from the delivering side only within the list", async () => {
    const manager = w.tenant.people.manager.token;
    expect(await reach(`/probe/opportunities/${o.managed.id}/write`, manager)).toBe("delivering");
    expect(await reach(`/probe/opportunities/${o.managed2.id}/write`, manager)).toBe(404);
  });
});

describe("replacing a list takes effect at once", () => {
  it("for a member: what leaves the list is 404 on the next request, standalone work stays visible", async () => {
    const person = w.tenant.people.member;
    expect((await putAccess(memberAccess(person.memberId), w.tenant.people.owner.token, [delivered2.id])).status).toBe(
      200,
    );
    expect(await program(w.own[0], person.token)).toBe(404);
    expect(await opportunity(o.own0, person.token)).toBe(404);
    expect(await opportunity(o.managed, person.token)).toBe(404);
    expect(await opportunity(o.managed2, person.token)).toBe("delivering");
    expect(await opportunity(o.standalone, person.token)).toBe("delivering");
  });

  it("for a service account: the same", async () => {
    const { id, token } = w.tenant.serviceAccount;
    expect(await program(w.delivered, token)).toBe(404);
    expect(await opportunity(o.managed, token)).toBe(404);
    expect(await opportunity(o.standalone, token)).toBe("delivering");
    expect((await putAccess(accountAccess(id), w.tenant.people.owner.token, [w.delivered.id])).status).toBe(200);
    expect(await program(w.delivered, token)).toBe("participant");
    expect(await opportunity(o.managed, token)).toBe("delivering");
    expect(await program(w.own[0], token)).toBe(404);
  });
});
