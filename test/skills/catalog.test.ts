// The public side of the skill catalog: the five practice areas, the skill list (practice area, q, retired
// skills, pages in a stable order) and one skill, all without a token and cacheable with an ETag.
import { describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { PRACTICE_AREAS } from "../../schema";
import { call, insertSkill, platformAdminToken, retireSkill, uniqueSuffix } from "../harness";

const get = (path: string, headers: Record<string, string> = {}) => call("GET", path, { headers });

/** Every page of a list, followed through `next_cursor`: the names in the order served. */
async function walk(path: string, limit: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const reply = await get(`${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.length).toBeLessThanOrEqual(limit);
    names.push(...reply.body.data.map((skill: { name: string }) => skill.name));
    if (!reply.body.has_more) return names;
    cursor = reply.body.next_cursor;
  }
  throw new Error("too many pages");
}

describe("the practice areas", () => {
  it("are the five, in order, each with its job titles; public and cacheable with a 304", async () => {
    const reply = await get("/v1/practice-areas");
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((area: { id: string }) => area.id)).toEqual([...PRACTICE_AREAS]);
    expect(reply.body.data.map((area: { name: string }) => area.name)).toEqual([
      "Data Science",
      "Engineering",
      "DevOps",
      "Project/Product Management",
      "UI/UX",
    ]);
    const titles = Object.fromEntries(
      reply.body.data.map((area: { id: string; job_titles: string[] }) => [area.id, area.job_titles]),
    );
    expect(titles.data_science).toEqual(expect.arrayContaining(["Data Scientist", "Data Analyst", "Data Engineer"]));
    expect(titles.engineering).toEqual(expect.arrayContaining(["Back End Developer", "Full Stack Developer"]));
    expect(titles.devops).toEqual(expect.arrayContaining(["Site Reliability Engineer", "Security Engineer"]));
    expect(titles.project_management).toEqual(expect.arrayContaining(["Product Manager", "Business Analyst"]));
    expect(titles.ui_ux).toEqual(expect.arrayContaining(["UI/UX Designer", "UX Researcher", "UX Writer"]));
    expect(reply.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(reply.headers.get("cache-control")).toBe("public, max-age=3600");
    const tag = reply.headers.get("etag")!;
    const again = await get("/v1/practice-areas", { "if-none-match": tag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });
});

describe("the skill list", () => {
  it("pages in name order whatever the case, each skill once, the cursor continuing after the last", async () => {
    const token = `pg${uniqueSuffix()}`;
    const names = [`${token} delta`, `${token.toUpperCase()} Alpha`, `${token} charlie`, `${token} Bravo`];
    for (const name of names) await insertSkill(name);
    for (const limit of [1, 2, 3, 100]) {
      expect(await walk(`/v1/skills?q=${token}`, limit), `limit ${limit}`).toEqual([
        `${token.toUpperCase()} Alpha`,
        `${token} Bravo`,
        `${token} charlie`,
        `${token} delta`,
      ]);
    }
    expect((await get("/v1/skills?cursor=nonsense")).status).toBe(400);
  });

  it("q is a case-insensitive substring of the name, names starting with it first; % and _ are plain", async () => {
    const token = `qq${uniqueSuffix()}`;
    const [starts, contains, other] = [`${token}SQL`, `Postgre${token.toUpperCase()}sql`, `zz${token}`];
    for (const name of [contains, other, starts, `${token.slice(0, 4)}_${token.slice(5)}`]) await insertSkill(name);
    const found = await walk(`/v1/skills?q=${token.toUpperCase()}`, 2);
    expect(found).toEqual([starts, contains, other]);
    // A wildcard matches only itself.
    expect(await walk(`/v1/skills?q=${token.slice(0, 4)}_`, 5)).toEqual([`${token.slice(0, 4)}_${token.slice(5)}`]);
    expect(await walk(`/v1/skills?q=${encodeURIComponent(`${token}%`)}`, 5)).toEqual([]);
    const percent = await insertSkill(`100% ${token}`);
    expect(await walk(`/v1/skills?q=${encodeURIComponent("100%")}${encodeURIComponent(` ${token}`)}`, 5)).toEqual([
      percent.name,
    ]);
    for (const bad of ["", "x".repeat(51)]) expect((await get(`/v1/skills?q=${bad}`)).status, bad).toBe(400);
  });

  it("practice_area keeps the skills of that area; an unknown area is 400", async () => {
    const token = `pa${uniqueSuffix()}`;
    const design = await insertSkill(`${token} design`, ["ui_ux"]);
    const both = await insertSkill(`${token} both`, ["ui_ux", "data_science"]);
    await insertSkill(`${token} ops`, ["devops"]);
    expect(await walk(`/v1/skills?q=${token}&practice_area=ui_ux`, 10)).toEqual([both.name, design.name]);
    expect(await walk(`/v1/skills?q=${token}&practice_area=data_science`, 10)).toEqual([both.name]);
    expect(await walk(`/v1/skills?q=${token}&practice_area=engineering`, 10)).toEqual([]);
    expect((await get("/v1/skills?practice_area=marketing")).status).toBe(400);
  });

  it("leaves retired skills out unless include_retired=true, which shows them as retired", async () => {
    const token = `rt${uniqueSuffix()}`;
    const kept = await insertSkill(`${token} kept`);
    const retired = await insertSkill(`${token} retired`);
    await retireSkill(retired);
    expect(await walk(`/v1/skills?q=${token}`, 10)).toEqual([kept.name]);
    expect(await walk(`/v1/skills?q=${token}&include_retired=false`, 10)).toEqual([kept.name]);
    const all = await get(`/v1/skills?q=${token}&include_retired=true`);
    expect(all.body.data.map((skill: { name: string }) => skill.name)).toEqual([kept.name, retired.name]);
    expect(all.body.data[0]).toMatchObject({ retired: false, retired_at: null });
    expect(all.body.data[1].retired).toBe(true);
    expect(all.body.data[1].retired_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await get("/v1/skills?include_retired=yes")).status).toBe(400);
  });

  it("a page has its own ETag, 304 while unchanged, a new one after an edit", async () => {
    const token = `et${uniqueSuffix()}`;
    const made = await insertSkill(`${token} tagged`);
    const path = `/v1/skills?q=${token}`;
    const first = await get(path);
    expect(first.headers.get("cache-control")).toBe("public, max-age=300");
    const tag = first.headers.get("etag")!;
    expect((await get(path, { "if-none-match": tag })).status).toBe(304);
    const admin = await platformAdminToken();
    const edit = await call("PATCH", `/v1/skills/${made.id}`, { token: admin, body: { description: "Edited" } });
    expect(edit.status, edit.text).toBe(200);
    const stale = await get(path, { "if-none-match": tag });
    expect(stale.status).toBe(200);
    expect(stale.body.data[0].description).toBe("Edited");
    expect(stale.headers.get("etag")).not.toBe(tag);
  });
});

describe("one skill", () => {
  it("is public and cacheable, retired or not; an unknown id is 404, a wrong prefix 400", async () => {
    const made = await insertSkill(undefined, ["devops", "data_science"]);
    const path = `/v1/skills/${made.id}`;
    const reply = await get(path);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id: made.id,
      object: "skill",
      name: made.name,
      description: "Made by a test.",
      practice_areas: ["data_science", "devops"],
      retired: false,
      retired_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const tag = reply.headers.get("etag")!;
    expect((await get(path, { "if-none-match": tag })).status).toBe(304);
    await retireSkill(made);
    const retired = await get(path, { "if-none-match": tag });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ id: made.id, retired: true, retired_at: expect.any(String) });
    const unknown = await get(`/v1/skills/${toTypeId(ID_PREFIX.skill, crypto.randomUUID())}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    expect((await get(`/v1/skills/${toTypeId(ID_PREFIX.program, crypto.randomUUID())}`)).status).toBe(400);
  });
});
