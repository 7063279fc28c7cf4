// A bad profile is a 400 naming the field, and leaves nothing behind.
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { getMe, insertSkill, type MadeSkill, newPerson, patchMe, storedProfile } from "./helpers";

let skill: MadeSkill;
let retired: MadeSkill;
let person: { email: string; token: string };
let userId: string;

beforeAll(async () => {
  [skill, retired, person] = await Promise.all([insertSkill(), insertSkill({ retired: true }), newPerson("invalid")]);
  userId = (await getMe(person.token)).body.id;
});

const slots = (...list: [string, string, string][]) => ({
  time_zone: "Europe/Berlin",
  slots: list.map(([day, start, end]) => ({ day, start, end })),
});
const unknownSkill = toTypeId(ID_PREFIX.skill, "01890a5d-ac96-774b-bcce-b302099a8057");

/** [what, body, the field the 400 names] */
const CASES: [string, Record<string, unknown>, string][] = [
  ["an unknown skill", { skills: { [unknownSkill]: 3 } }, `skills.${unknownSkill}`],
  ["a retired skill not held", { skills: { RETIRED: 3 } }, "skills.RETIRED"],
  [
    "a key that is no skill id",
    { skills: { usr_01h455vb4pex5vsknk084sn02q: 3 } },
    "skills.usr_01h455vb4pex5vsknk084sn02q",
  ],
  // JSON.parse makes it an own key, which a zod record would drop without a word (an empty matrix).
  ["a __proto__ key", { skills: JSON.parse('{"__proto__": 3}') }, "skills.__proto__"],
  ["level 0", { skills: { SKILL: 0 } }, "skills.SKILL"],
  ["level 6", { skills: { SKILL: 6 } }, "skills.SKILL"],
  ["level 2.5", { skills: { SKILL: 2.5 } }, "skills.SKILL"],
  ["level as text", { skills: { SKILL: "3" } }, "skills.SKILL"],
  ["a bad time zone", { availability: { time_zone: "Mars/Olympus", slots: [] } }, "availability.time_zone"],
  ["an offset for a time zone", { availability: { time_zone: "+01:00", slots: [] } }, "availability.time_zone"],
  [
    "overlapping slots",
    { availability: slots(["mon", "09:00", "11:00"], ["mon", "10:30", "12:00"]) },
    "availability.slots.1",
  ],
  ["a slot ending before it starts", { availability: slots(["tue", "11:00", "10:00"]) }, "availability.slots.0.end"],
  ["a day that is none", { availability: slots(["someday", "09:00", "10:00"]) }, "availability.slots.0.day"],
  ["a time that is none", { availability: slots(["mon", "9am", "10:00"]) }, "availability.slots.0.start"],
  ["169 hours", { max_hours_per_week: 169 }, "max_hours_per_week"],
  ["negative hours", { max_hours_per_week: -1 }, "max_hours_per_week"],
  ["fractional hours", { max_hours_per_week: 1.5 }, "max_hours_per_week"],
  ["an unknown practice area", { practice_area: "astrology" }, "practice_area"],
  ["an unknown work environment", { work_environments: ["remote", "moon"] }, "work_environments.1"],
  ["a bio over 2000 characters", { bio: "x".repeat(2001) }, "bio"],
  ["a name with a line break", { name: "Dana\nOkafor" }, "name"],
  ["an empty name", { name: "   " }, "name"],
  ["discoverable as text", { discoverable: "yes" }, "discoverable"],
  ["a server-owned field", { updated_at: "2026-01-01T00:00:00Z" }, "updated_at"],
  ["an email (it comes from the token)", { email: "someone@else.test" }, "email"],
];

describe("PATCH /v1/users/me refuses bad input", () => {
  it.each(CASES)("%s: 400 naming the field", async (_what, body, field) => {
    // Skills are made in beforeAll: their ids stand in for SKILL and RETIRED here.
    const named = (text: string) => text.replaceAll("RETIRED", retired.id).replaceAll("SKILL", skill.id);
    const reply = await patchMe(person.token, JSON.parse(named(JSON.stringify(body))));
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.code).toBe("validation_error");
    expect(Object.keys(reply.body.error.fields)).toContain(named(field));
  });

  it("more than 100 skills is a 400 on skills", async () => {
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [
        toTypeId(ID_PREFIX.skill, `01890a5d-ac96-774b-bcce-${String(i).padStart(12, "0")}`),
        1,
      ]),
    );
    const reply = await patchMe(person.token, { skills: many });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields.skills).toEqual(["must have at most 100 skills"]);
  });

  it("a valid field beside a bad one is not kept: nothing was stored", async () => {
    const reply = await patchMe(person.token, { bio: "kept?", skills: { [unknownSkill]: 2 } });
    expect(reply.status).toBe(400);
    expect((await storedProfile(userId)).profile).toBeNull();
    expect((await getMe(person.token)).body.profile.bio).toBe("");
  });
});
