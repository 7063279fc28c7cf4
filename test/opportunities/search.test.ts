import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, insertOpportunity, insertProgram, type Made, type Tenant, uniqueSuffix } from "../harness";
import { idsOf } from "./helpers";

// Public, open opportunities carrying this run's word in different places: the catalog can be searched for them
// alone. The name weighs most, then the role and short description, then the description.
let tenant: Tenant;
const word = `needle${uniqueSuffix()}`;
let inName: Made;
let inRole: Made;
let inDescription: Made;
let twiceInDescription: Made;
let hybrid: Made;
let managed: Made;
let program: Made;

beforeAll(async () => {
  tenant = await createTenant("search");
  program = await insertProgram(tenant);
  inDescription = await insertOpportunity(tenant, { name: "Plain", description: `about ${word}`, minHoursPerWeek: 20 });
  inName = await insertOpportunity(tenant, { name: `${word} lead`, minHoursPerWeek: 40 });
  inRole = await insertOpportunity(tenant, { name: "Plain", role: `${word} surveyor`, minHoursPerWeek: 8 });
  twiceInDescription = await insertOpportunity(tenant, {
    name: "Plain",
    description: `${word} and again ${word}, with more words around the ${word}`,
    minHoursPerWeek: 2,
  });
  hybrid = await insertOpportunity(tenant, {
    name: "Plain",
    shortDescription: `${word} in the office`,
    workEnvironment: "hybrid",
    minHoursPerWeek: 10,
  });
  managed = await insertOpportunity(tenant, {
    name: "Plain",
    description: `managed ${word}`,
    programId: program.uuid,
    currency: "EUR",
    country: "DE",
    endDate: "2027-12-31",
  });
});

const search = (query: string) => call("GET", `/v1/opportunities?q=${encodeURIComponent(word)}${query}`);

describe("searching and filtering the catalog", () => {
  it("q matches name, role, short description and description; the name ranks first, ties in id order", async () => {
    const reply = await search("&limit=100");
    expect(reply.status).toBe(200);
    const ids = idsOf(reply);
    expect(ids.sort()).toEqual(
      [inName, inRole, inDescription, twiceInDescription, hybrid, managed].map((m) => m.id).sort(),
    );
    const ranked = idsOf(await search("&limit=100"));
    expect(ranked[0]).toBe(inName.id);
    expect(ranked.indexOf(inRole.id)).toBeLessThan(ranked.indexOf(inDescription.id));
    expect(ranked.indexOf(hybrid.id)).toBeLessThan(ranked.indexOf(inDescription.id));
    // Two description matches of the same rank keep their id (creation) order.
    expect(ranked.indexOf(inDescription.id)).toBeLessThan(ranked.indexOf(managed.id));
  });

  it("pages of a ranked search follow next_cursor to the same order, with nothing lost or repeated", async () => {
    const whole = idsOf(await search("&limit=100"));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await search(`&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status, reply.text).toBe(200);
      seen.push(...idsOf(reply));
      cursor = reply.body.next_cursor;
      expect(reply.body.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(whole);
  });

  it("a cursor belongs to its kind of list: a ranked one without q, or a plain one with q, is a 400", async () => {
    const ranked = await search("&limit=1");
    const plain = await call("GET", "/v1/opportunities?limit=1");
    expect(plain.body.next_cursor).not.toBeNull();
    const rankedWithoutQ = await call("GET", `/v1/opportunities?cursor=${ranked.body.next_cursor}`);
    expect(rankedWithoutQ.status).toBe(400);
    expect(Object.keys(rankedWithoutQ.body.error.fields)).toEqual(["cursor"]);
    const plainWithQ = await search(`&cursor=${plain.body.next_cursor}`);
    expect(plainWithQ.status).toBe(400);
    expect((await search("&cursor=bm90LWEtY3Vyc29y")).status).toBe(400);
  });

  it("web-search syntax: a quoted phrase, an excluded word; a query of nothing searchable matches nothing", async () => {
    const phrase = await call("GET", `/v1/opportunities?q=${encodeURIComponent(`"${word} surveyor"`)}`);
    expect(idsOf(phrase)).toEqual([inRole.id]);
    const excluded = idsOf(await search(`${encodeURIComponent(" -surveyor -office")}&limit=100`));
    expect(excluded).not.toContain(inRole.id);
    expect(excluded).not.toContain(hybrid.id);
    expect(excluded).toContain(inName.id);
    const nothing = await call("GET", `/v1/opportunities?q=${encodeURIComponent("& | !")}`);
    expect(nothing.status).toBe(200);
    expect(nothing.body.data).toEqual([]);
    expect((await call("GET", "/v1/opportunities?q=")).status, "an empty q is a 400").toBe(400);
  });

  it("work_environment, max_hours and program_id filter (with q or without)", async () => {
    expect(idsOf(await search("&work_environment=hybrid"))).toEqual([hybrid.id]);
    const short = idsOf(await search("&max_hours=8&limit=100")).sort();
    expect(short).toEqual([inRole.id, twiceInDescription.id, managed.id].sort());
    expect(idsOf(await search("&max_hours=0"))).toEqual([]);
    expect(idsOf(await call("GET", `/v1/opportunities?program_id=${program.id}`))).toEqual([managed.id]);
    expect((await call("GET", "/v1/opportunities?max_hours=169")).status).toBe(400);
    expect((await call("GET", "/v1/opportunities?max_hours=1e2")).status).toBe(400);
    expect((await call("GET", "/v1/opportunities?program_id=opp_01h455vb4pex5vsknk084sn02q")).status).toBe(400);
  });

  it("without q the catalog is in id order and pages through it by id", async () => {
    const first = await call("GET", "/v1/opportunities?limit=3");
    const ids = idsOf(first);
    expect([...ids].sort()).toEqual(ids);
    const next = await call("GET", `/v1/opportunities?limit=3&cursor=${first.body.next_cursor}`);
    expect(idsOf(next)[0]! > ids.at(-1)!).toBe(true);
  });
});
