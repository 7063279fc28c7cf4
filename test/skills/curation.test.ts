// Curating the skill catalog: platform administrators create, change, retire and restore skills; names are
// unique whatever their case (409 with the existing id); every change is on the platform's audit trail
// (PLATFORM_ORGANISATION_ID) with the administrator as the actor; retiring twice changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_ORGANISATION_ID } from "../../functions/platform/audit";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import {
  auditEventsOf,
  call,
  expectOneWinner,
  PLATFORM_ADMIN_EMAIL,
  platformAdminToken,
  raceRounds,
  uniqueSuffix,
} from "../harness";

let admin: string;
beforeAll(async () => {
  admin = await platformAdminToken();
});

const name = (label = "Skill") => `${label} ${uniqueSuffix()}`;
const create = (body: unknown) => call("POST", "/v1/skills", { token: admin, body });
const patch = (id: string, body: unknown) => call("PATCH", `/v1/skills/${id}`, { token: admin, body });
const retire = (id: string) => call("DELETE", `/v1/skills/${id}`, { token: admin });

describe("creating a skill", () => {
  it("an administrator adds one: 201 with the full representation, on the platform's trail", async () => {
    const body = {
      name: name("Causal <b>inference</b>"),
      description: "Telling cause from correlation.",
      practice_areas: ["ui_ux", "data_science"],
    };
    const reply = await create(body);
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({
      object: "skill",
      name: body.name.replace("<b>", "").replace("</b>", ""),
      description: body.description,
      practice_areas: ["data_science", "ui_ux"],
      retired: false,
      retired_at: null,
    });
    expect(reply.body.id).toMatch(/^skl_/);
    const [event, ...more] = await auditEventsOf(reply);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      organisationId: PLATFORM_ORGANISATION_ID,
      action: "skill.created",
      actorType: "user",
      actorEmail: PLATFORM_ADMIN_EMAIL,
      resourceType: "skill",
      resourceName: reply.body.name,
    });
    expect((await call("GET", `/v1/skills/${reply.body.id}`)).body.name).toBe(reply.body.name);
    const plain = await create({ name: name(), practice_areas: ["devops"] });
    expect(plain.body.description).toBe("");
  });

  it("a name taken in any case is 409 with the existing id", async () => {
    const first = await create({ name: name("Kotlin"), practice_areas: ["engineering"] });
    for (const again of [first.body.name, first.body.name.toUpperCase(), first.body.name.toLowerCase()]) {
      const reply = await create({ name: again, practice_areas: ["devops"] });
      expect(reply.status, again).toBe(409);
      expect(reply.body.error).toMatchObject({ code: "conflict", existing_id: first.body.id });
      expect(reply.body.error.message).toContain(first.body.name);
    }
  });

  it("two parallel creates of one name, in different cases: exactly one wins", async () => {
    await raceRounds(
      async () => name("Raced"),
      async (raced) =>
        expectOneWinner(
          await Promise.all([
            create({ name: raced, practice_areas: ["devops"] }),
            create({ name: raced.toUpperCase(), practice_areas: ["devops"] }),
          ]),
          "conflict",
        ),
    );
  });

  it("a name is 1–50 characters; practice_areas 1–5 of the five, each once; the body is strict", async () => {
    expect((await create({ name: `${"n".repeat(41)}${uniqueSuffix()}`, practice_areas: ["devops"] })).status).toBe(201);
    for (const [body, field] of [
      [{ name: "n".repeat(51), practice_areas: ["devops"] }, "name"],
      [{ name: "  ", practice_areas: ["devops"] }, "name"],
      [{ name: "Two\nlines", practice_areas: ["devops"] }, "name"],
      [{ practice_areas: ["devops"] }, "name"],
      [{ name: name() }, "practice_areas"],
      [{ name: name(), practice_areas: [] }, "practice_areas"],
      [{ name: name(), practice_areas: ["marketing"] }, "practice_areas.0"],
      [{ name: name(), practice_areas: ["devops", "devops"] }, "practice_areas"],
      [{ name: name(), practice_areas: ["devops"], description: "d".repeat(501) }, "description"],
      [{ name: name(), practice_areas: ["devops"], retired: true }, "retired"],
    ] as const) {
      const reply = await create(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
  });
});

describe("changing a skill", () => {
  it("a PATCH changes the given fields, audited with the diff; one that changes nothing writes nothing", async () => {
    const made = await create({ name: name("Before"), description: "Old", practice_areas: ["devops"] });
    const renamed = name("After");
    const reply = await patch(made.body.id, { name: renamed, practice_areas: ["engineering", "devops"] });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ name: renamed, description: "Old", practice_areas: ["engineering", "devops"] });
    const [event] = await auditEventsOf(reply);
    expect(event).toMatchObject({ action: "skill.updated", organisationId: PLATFORM_ORGANISATION_ID });
    expect(event!.changes.name).toEqual({ old: made.body.name, new: renamed });
    for (const body of [{ name: renamed }, { practice_areas: ["devops", "engineering"] }, { retired: false }, {}]) {
      const same = await patch(made.body.id, body);
      expect(same.status).toBe(200);
      expect(same.body.updated_at).toBe(reply.body.updated_at);
      expect(await auditEventsOf(same)).toEqual([]);
    }
  });

  it("a name another skill holds in any case is 409; changing only its own case is a rename", async () => {
    const [one, two] = await Promise.all([
      create({ name: name("One"), practice_areas: ["devops"] }),
      create({ name: name("Two"), practice_areas: ["devops"] }),
    ]);
    const taken = await patch(two.body.id, { name: one.body.name.toLowerCase() });
    expect(taken.status).toBe(409);
    expect(taken.body.error.existing_id).toBe(one.body.id);
    const recased = await patch(one.body.id, { name: one.body.name.toUpperCase() });
    expect(recased.status, recased.text).toBe(200);
    expect(recased.body.name).toBe(one.body.name.toUpperCase());
    const unknown = toTypeId(ID_PREFIX.skill, crypto.randomUUID());
    expect((await patch(unknown, { name: "x" })).status).toBe(404);
    expect((await retire(unknown)).status).toBe(404);
  });
});

describe("retiring a skill", () => {
  it("DELETE retires it: 200 with retired_at, audited once; again, the same answer and nothing written", async () => {
    const made = await create({ name: name("Retiring"), practice_areas: ["ui_ux"] });
    const reply = await retire(made.body.id);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ id: made.body.id, retired: true });
    expect(Date.parse(reply.body.retired_at)).toBeGreaterThanOrEqual(Date.parse(made.body.created_at));
    const [event, ...more] = await auditEventsOf(reply);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ action: "skill.retired", organisationId: PLATFORM_ORGANISATION_ID });
    expect(event!.changes.retired).toEqual({ old: false, new: true });
    const again = await retire(made.body.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(reply.body);
    expect(await auditEventsOf(again)).toEqual([]);
    expect((await patch(made.body.id, { retired: true })).body.retired_at).toBe(reply.body.retired_at);
    // Still resolvable by id, and out of the default list.
    expect((await call("GET", `/v1/skills/${made.body.id}`)).body.retired).toBe(true);
    const listed = await call("GET", `/v1/skills?q=${encodeURIComponent(made.body.name)}`);
    expect(listed.body.data).toEqual([]);
  });

  it("PATCH {retired: false} restores it (skill.updated); PATCH {retired: true} retires it (skill.retired)", async () => {
    const made = await create({ name: name("Restored"), practice_areas: ["project_management"] });
    await retire(made.body.id);
    const restored = await patch(made.body.id, { retired: false });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ retired: false, retired_at: null });
    expect((await auditEventsOf(restored)).map((event) => event.action)).toEqual(["skill.updated"]);
    const listed = await call("GET", `/v1/skills?q=${encodeURIComponent(made.body.name)}`);
    expect(listed.body.data.map((skill: { id: string }) => skill.id)).toEqual([made.body.id]);
    const retired = await patch(made.body.id, { retired: true, description: "Superseded" });
    expect(retired.body).toMatchObject({ retired: true, description: "Superseded" });
    expect((await auditEventsOf(retired)).map((event) => event.action)).toEqual(["skill.retired"]);
  });
});
