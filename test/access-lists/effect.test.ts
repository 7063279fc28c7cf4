// The access list's effect through the real read endpoints of programs, opportunities and payment units.
import { beforeAll, describe, expect, it } from "vitest";
import { call, insertApplication, insertOpportunity, insertPaymentUnit, insertProgram, type Made } from "../harness";
import { memberAccess, putAccess, type World, world } from "./helpers";

let w: World;
let member: { memberId: string; token: string };
/** Programs: `granted` (the tenant's, in the member's list), `other` (the tenant's, not), `delivered` (not). */
let p: { granted: Made; other: Made; delivered: Made };
/** Opportunities of the tenant (drafts, so no public catalog shows them): under each program, and standalone. */
let o: { granted: Made; other: Made; delivered: Made; standalone: Made };
let u: { granted: Made; other: Made; delivered: Made };

beforeAll(async () => {
  w = await world("effect");
  member = w.tenant.people.member;
  p = { granted: w.own[0], other: w.own[1], delivered: await insertProgram(w.partner) };
  await insertApplication(p.delivered.uuid, w.tenant, "accepted");
  const draft = { status: "draft", visibility: "organisation" } as const;
  const under = (made: Made) =>
    insertOpportunity(w.tenant, { ...draft, programId: made.uuid, currency: "EUR", country: "DE" });
  o = {
    granted: await under(p.granted),
    other: await under(p.other),
    delivered: await under(p.delivered),
    standalone: await insertOpportunity(w.tenant, draft),
  };
  u = {
    granted: await insertPaymentUnit(o.granted.uuid),
    other: await insertPaymentUnit(o.other.uuid),
    delivered: await insertPaymentUnit(o.delivered.uuid),
  };
  const granted = await putAccess(memberAccess(member.memberId), w.tenant.people.owner.token, [p.granted.id]);
  if (granted.status !== 200) throw new Error(granted.text);
});

const status = async (path: string, token: string) => (await call("GET", path, { token })).status;

describe("GET /v1/programs/{id} for a member limited by an access list", () => {
  it("serves the listed program, 404 for the others; global access sees them all", async () => {
    expect(await status(`/v1/programs/${p.granted.id}`, member.token)).toBe(200);
    expect(await status(`/v1/programs/${p.other.id}`, member.token)).toBe(404);
    expect(await status(`/v1/programs/${p.delivered.id}`, member.token)).toBe(404);
    for (const made of Object.values(p)) {
      expect(await status(`/v1/programs/${made.id}`, w.tenant.people.admin.token)).toBe(200);
    }
  });
});

describe("GET /v1/opportunities/{id} for a member limited by an access list", () => {
  it("serves standalone ones and those under the listed program, 404 for the others", async () => {
    expect(await status(`/v1/opportunities/${o.granted.id}`, member.token)).toBe(200);
    expect(await status(`/v1/opportunities/${o.standalone.id}`, member.token)).toBe(200);
    expect(await status(`/v1/opportunities/${o.other.id}`, member.token)).toBe(404);
    expect(await status(`/v1/opportunities/${o.delivered.id}`, member.token)).toBe(404);
    for (const made of Object.values(o)) {
      expect(await status(`/v1/opportunities/${made.id}`, w.tenant.people.admin.token)).toBe(200);
    }
  });
});

describe("GET /v1/payment-units/{id} for a member limited by an access list", () => {
  it("serves the units under the listed program, 404 for the others", async () => {
    expect(await status(`/v1/payment-units/${u.granted.id}`, member.token)).toBe(200);
    expect(await status(`/v1/payment-units/${u.other.id}`, member.token)).toBe(404);
    expect(await status(`/v1/payment-units/${u.delivered.id}`, member.token)).toBe(404);
    for (const made of Object.values(u)) {
      expect(await status(`/v1/payment-units/${made.id}`, w.tenant.people.admin.token)).toBe(200);
    }
  });
});

describe("emptying the list", () => {
  it("makes the program, its opportunities and units 404 on the next request; standalone work stays", async () => {
    const emptied = await putAccess(memberAccess(member.memberId), w.tenant.people.owner.token, []);
    expect(emptied.status).toBe(200);
    expect(await status(`/v1/programs/${p.granted.id}`, member.token)).toBe(404);
    expect(await status(`/v1/opportunities/${o.granted.id}`, member.token)).toBe(404);
    expect(await status(`/v1/payment-units/${u.granted.id}`, member.token)).toBe(404);
    expect(await status(`/v1/opportunities/${o.standalone.id}`, member.token)).toBe(200);
  });
});
