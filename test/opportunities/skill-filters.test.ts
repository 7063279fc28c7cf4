// The catalog's skill filters: `skill_id` (with `min_level`) keeps the opportunities that require the skill at
// that level or above, `practice_area` those with a required skill in that area; a preferred skill counts for
// neither. Both work on the public catalog, an organisation's list and a ranked search, page by page.
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import {
  addOpportunitySkill,
  call,
  createTenant,
  insertOpportunity,
  insertSkill,
  type Made,
  type Tenant,
  uniqueSuffix,
} from "../harness";
import { idsOf } from "./helpers";

let tenant: Tenant;
let rust: Made;
let research: Made;
let keyword: string;
/** Opportunities by what they ask: Rust required at 2 / at 4 / preferred at 5; research required / preferred. */
const made: Record<string, Made> = {};

beforeAll(async () => {
  tenant = await createTenant("skill-filters");
  keyword = `kw${uniqueSuffix()}`;
  [rust, research] = await Promise.all([insertSkill(undefined, ["engineering"]), insertSkill(undefined, ["ui_ux"])]);
  for (const label of ["rust2", "rust4", "rustPreferred", "research", "researchPreferred", "draftRust"]) {
    made[label] = await insertOpportunity(tenant, {
      name: `${label} ${keyword}`,
      ...(label === "draftRust" ? { status: "draft", visibility: "organisation" } : {}),
    });
  }
  await addOpportunitySkill(made.rust2!, rust, 2);
  await addOpportunitySkill(made.rust4!, rust, 4);
  await addOpportunitySkill(made.rustPreferred!, rust, 5, "preferred");
  await addOpportunitySkill(made.research!, research, 3);
  await addOpportunitySkill(made.research!, rust, 1, "preferred");
  await addOpportunitySkill(made.researchPreferred!, research, 3, "preferred");
  await addOpportunitySkill(made.draftRust!, rust, 5);
});

const list = async (query: string, token?: string) => {
  const reply = await call("GET", `/v1/opportunities?${query}`, { token });
  expect(reply.status, reply.text).toBe(200);
  return reply;
};
const ids = (...labels: string[]) => labels.map((label) => made[label]!.id);

describe("filtering the catalog by skill", () => {
  it("skill_id keeps those requiring it (any level by default), not those preferring it", async () => {
    expect(idsOf(await list(`skill_id=${rust.id}`))).toEqual(ids("rust2", "rust4"));
    expect(idsOf(await list(`skill_id=${rust.id}&min_level=1`))).toEqual(ids("rust2", "rust4"));
  });

  it("min_level keeps those requiring it at that level or above", async () => {
    expect(idsOf(await list(`skill_id=${rust.id}&min_level=2`))).toEqual(ids("rust2", "rust4"));
    expect(idsOf(await list(`skill_id=${rust.id}&min_level=3`))).toEqual(ids("rust4"));
    expect(idsOf(await list(`skill_id=${rust.id}&min_level=5`))).toEqual([]);
  });

  it("the shown maps are the opportunity's own: required and preferred", async () => {
    const reply = await list(`skill_id=${research.id}`);
    expect(reply.body.data).toEqual([
      expect.objectContaining({
        id: made.research!.id,
        required_skills: { [research.id]: 3 },
        preferred_skills: { [rust.id]: 1 },
      }),
    ]);
  });

  it("an organisation's list sees its drafts too; a ranked search narrows the same way; pages hold", async () => {
    const member = tenant.people.viewer.token;
    const own = await list(`organisation_id=${tenant.id}&skill_id=${rust.id}&min_level=4`, member);
    expect(idsOf(own)).toEqual(ids("rust4", "draftRust"));
    expect(idsOf(await list(`q=${keyword}&skill_id=${rust.id}`))).toEqual(
      expect.arrayContaining(ids("rust2", "rust4")),
    );
    expect(idsOf(await list(`q=${keyword}&skill_id=${rust.id}`))).toHaveLength(2);
    const first = await list(`skill_id=${rust.id}&limit=1`);
    expect(idsOf(first)).toEqual(ids("rust2"));
    const second = await list(`skill_id=${rust.id}&limit=1&cursor=${first.body.next_cursor}`);
    expect(idsOf(second)).toEqual(ids("rust4"));
    expect(second.body.has_more).toBe(false);
  });

  it("min_level needs skill_id and is 1–5; a wrong prefix is 400; an unknown skill finds nothing", async () => {
    for (const query of ["min_level=2", `skill_id=${rust.id}&min_level=0`, `skill_id=${rust.id}&min_level=6`]) {
      const reply = await call("GET", `/v1/opportunities?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.error.fields, query).toHaveProperty("min_level");
    }
    const wrong = await call("GET", `/v1/opportunities?skill_id=${toTypeId(ID_PREFIX.program, rust.uuid)}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty("skill_id");
    expect(idsOf(await list(`skill_id=${toTypeId(ID_PREFIX.skill, crypto.randomUUID())}`))).toEqual([]);
  });
});

describe("filtering the catalog by practice area", () => {
  it("keeps those with a required skill in the area; a preferred one does not count", async () => {
    const ux = idsOf(await list(`practice_area=ui_ux&q=${keyword}`));
    expect(ux).toEqual(ids("research"));
    const engineering = idsOf(await list(`practice_area=engineering&q=${keyword}`));
    expect(engineering.sort()).toEqual(ids("rust2", "rust4").sort());
    expect(idsOf(await list(`practice_area=devops&q=${keyword}`))).toEqual([]);
    expect((await call("GET", "/v1/opportunities?practice_area=sales")).status).toBe(400);
  });
});
