// Calendar feeds: a feed's URL serves valid iCalendar (parsed here by ical.js): programs as all-day spans,
// opportunities with their dates and weekly meetings in their own time zone across daylight saving; ETag and 304;
// what it shows follows its maker's access now; deleting it, the maker leaving or the plan losing calendar_sync
// stops it; the status says what the plan allows.

import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { memberships, organisations, programs } from "../../schema";
import {
  addPerson,
  call,
  createTenant,
  insertOpportunity,
  insertProgram,
  type Made,
  type Tenant,
  withDb,
} from "../harness";
import { grant } from "../programs/helpers";

let tenant: Tenant;
let spring: Made;
let autumn: Made;
let weekly: Made;
let rolling: Made;

const LONDON_MONDAYS = { time_zone: "Europe/London", slots: [{ day: "mon" as const, start: "09:00", end: "10:30" }] };

const makeFeed = (body: Record<string, unknown>, token = tenant.people.owner.token) =>
  call("POST", "/v1/calendar-feeds", { token, body: { organisation_id: tenant.id, name: "Team", ...body } });

const fetchFeed = (url: string, headers: Record<string, string> = {}) =>
  call("GET", new URL(url).pathname, { headers });

/** The feed's events by UID. */
function eventsOf(text: string): Map<string, InstanceType<typeof ICAL.Event>> {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe("vcalendar");
  return new Map(
    calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      return [event.uid, event];
    }),
  );
}

/** The UTC start of each occurrence of a recurring event, in ISO form. */
function occurrences(event: InstanceType<typeof ICAL.Event>): string[] {
  const starts: string[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && starts.length < 100; next = iterator.next()) {
    starts.push(next.toJSDate().toISOString());
  }
  return starts;
}

beforeAll(async () => {
  tenant = await createTenant("calendar");
  spring = await insertProgram(tenant, {
    name: "Spring, with a comma",
    startDate: "2026-03-01",
    endDate: "2026-05-31",
  });
  autumn = await insertProgram(tenant, { name: "Autumn", startDate: "2026-09-01", endDate: "2026-11-30" });
  weekly = await insertOpportunity(tenant, {
    name: "Monday survey",
    programId: spring.uuid,
    startDate: "2026-03-02",
    endDate: "2026-04-13",
    meetingTimes: LONDON_MONDAYS,
  });
  rolling = await insertOpportunity(tenant, {
    name: "Rolling help desk",
    programId: autumn.uuid,
    startDate: "2026-10-05",
    endDate: null,
  });
});

describe("the feed", () => {
  it("is iCalendar: programs as all-day spans, an opportunity's Mondays at 09:00 London time through the change to BST", async () => {
    const made = await makeFeed({ scope: "organisation" });
    expect(made.status, made.text).toBe(201);
    expect(made.body.url).toMatch(/^https:\/\/api\.test\.muster\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await fetchFeed(made.body.url);
    expect(feed.status, feed.text).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(feed.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(feed.text, "every line ends with CRLF, the last one too").toMatch(/\r\nEND:VCALENDAR\r\n$/);
    expect(feed.text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(feed.text).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/London");

    const events = eventsOf(feed.text);
    const program = events.get(`${spring.id}@muster`)!;
    expect(program.summary).toBe("Spring, with a comma");
    expect(program.startDate.isDate).toBe(true);
    expect(program.startDate.toString()).toBe("2026-03-01");
    expect(program.endDate.toString(), "DTEND is the day after the last").toBe("2026-06-01");
    expect(events.has(`${autumn.id}@muster`)).toBe(true);

    const span = events.get(`${weekly.id}@muster`)!;
    expect([span.startDate.toString(), span.endDate.toString()]).toEqual(["2026-03-02", "2026-04-14"]);
    const openEnded = events.get(`${rolling.id}@muster`)!;
    expect(openEnded.summary).toBe("Rolling help desk (open-ended, from this day)");
    expect([openEnded.startDate.toString(), openEnded.endDate.toString()]).toEqual(["2026-10-05", "2026-10-06"]);
    const meetings = events.get(`${weekly.id}-mon-0900@muster`)!;
    expect(meetings.isRecurring()).toBe(true);
    expect(meetings.startDate.zone.tzid).toBe("Europe/London");
    expect(occurrences(meetings)).toEqual([
      "2026-03-02T09:00:00.000Z",
      "2026-03-09T09:00:00.000Z",
      "2026-03-16T09:00:00.000Z",
      "2026-03-23T09:00:00.000Z",
      // 29 March: the clocks go forward; 09:00 in London is 08:00 UTC.
      "2026-03-30T08:00:00.000Z",
      "2026-04-06T08:00:00.000Z",
      "2026-04-13T08:00:00.000Z",
    ]);
    expect(meetings.endDate.toJSDate().getTime() - meetings.startDate.toJSDate().getTime()).toBe(90 * 60_000);
  });

  it("answers 304 to its own ETag, and a new ETag once a program changes", async () => {
    const made = await makeFeed({ scope: "program", scope_id: autumn.id });
    const first = await fetchFeed(made.body.url);
    const tag = first.headers.get("etag")!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await fetchFeed(made.body.url)).headers.get("etag"), "the same bytes for the same rows").toBe(tag);
    const unchanged = await fetchFeed(made.body.url, { "If-None-Match": tag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe("");
    await withDb((db) => db.update(programs).set({ name: "Autumn, renamed" }).where(eq(programs.id, autumn.uuid)));
    const changed = await fetchFeed(made.body.url, { "If-None-Match": tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
    expect([...eventsOf(changed.text).values()].map((event) => event.summary)).toEqual([
      "Autumn, renamed",
      "Rolling help desk (open-ended, from this day)",
    ]);
  });

  it("a program feed shows the program and its opportunities; an opportunity feed that one alone", async () => {
    const program = await makeFeed({ scope: "program", scope_id: spring.id });
    expect([...eventsOf((await fetchFeed(program.body.url)).text).keys()].sort()).toEqual(
      [`${spring.id}@muster`, `${weekly.id}-mon-0900@muster`, `${weekly.id}@muster`].sort(),
    );
    const opportunity = await makeFeed({ scope: "opportunity", scope_id: weekly.id });
    expect([...eventsOf((await fetchFeed(opportunity.body.url)).text).keys()].sort()).toEqual(
      [`${weekly.id}-mon-0900@muster`, `${weekly.id}@muster`].sort(),
    );
  });

  it("shows what its maker may see: a manager with one program's grant sees that program only", async () => {
    const manager = await addPerson(tenant, "manager", "calendar-manager");
    await grant(tenant, manager.memberId, autumn.id);
    const made = await makeFeed({ scope: "organisation" }, manager.token);
    expect(made.status, made.text).toBe(201);
    const uids = [...eventsOf((await fetchFeed(made.body.url)).text).keys()];
    expect(uids).toContain(`${autumn.id}@muster`);
    expect(uids).not.toContain(`${spring.id}@muster`);
    expect(
      uids.some((uid) => uid.startsWith(weekly.id)),
      "the opportunity under the ungranted program",
    ).toBe(false);
    const refused = await makeFeed({ scope: "program", scope_id: spring.id }, manager.token);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual({ scope_id: ["is not a program of the organisation that you may see"] });

    // The maker leaves: their feed is gone.
    await withDb((db) =>
      db.delete(memberships).where(eq(memberships.id, parseTypeId(ID_PREFIX.membership, manager.memberId)!)),
    );
    expect((await fetchFeed(made.body.url)).status).toBe(404);
  });
});

describe("making, listing and deleting feeds", () => {
  it("validates the scope: an id with an organisation feed, a missing or foreign id", async () => {
    const extra = await makeFeed({ scope: "organisation", scope_id: spring.id });
    expect(extra.body.error.fields).toEqual({ scope_id: ["is not taken by an organisation feed"] });
    const missing = await makeFeed({ scope: "program" });
    expect(missing.body.error.fields).toEqual({ scope_id: ["must be the id of a program (prg_…)"] });
    const wrongKind = await makeFeed({ scope: "opportunity", scope_id: spring.id });
    expect(wrongKind.status).toBe(400);
    const other = await createTenant("calendar-other");
    const foreign = await makeFeed({ scope: "program", scope_id: (await insertProgram(other)).id });
    expect(foreign.status).toBe(400);
    const unknownField = await makeFeed({ scope: "organisation", colour: "red" });
    expect(unknownField.status).toBe(400);
  });

  it("lists feeds without their URLs; deleting one stops its URL at once; only its maker, the owner or an admin may", async () => {
    const member = await addPerson(tenant, "member", "calendar-member");
    const made = await makeFeed({ scope: "organisation", name: "Member's" }, member.token);
    expect(made.status, made.text).toBe(201);
    const list = await call("GET", `/v1/calendar-feeds?organisation_id=${tenant.id}&limit=100`, {
      token: tenant.people.owner.token,
    });
    const listed = list.body.data.find((feed: { id: string }) => feed.id === made.body.id);
    expect(listed).toMatchObject({
      name: "Member's",
      scope: "organisation",
      scope_id: null,
      created_by: expect.stringMatching(/^usr_/),
    });
    expect(JSON.stringify(list.body)).not.toContain(new URL(made.body.url).pathname.split("/").pop()!.slice(0, 20));

    const otherMember = await addPerson(tenant, "member", "calendar-other-member");
    expect((await call("DELETE", `/v1/calendar-feeds/${made.body.id}`, { token: otherMember.token })).status).toBe(403);
    expect((await fetchFeed(made.body.url)).status).toBe(200);
    expect(
      (await call("DELETE", `/v1/calendar-feeds/${made.body.id}`, { token: tenant.people.admin.token })).status,
    ).toBe(204);
    const gone = await fetchFeed(made.body.url);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");
  });

  it("a URL that was never a feed's is a 404, whatever its shape", async () => {
    expect((await call("GET", `/v1/calendar-feeds/${"A".repeat(43)}.ics`, {})).status).toBe(404);
    expect((await call("GET", "/v1/calendar-feeds/short.ics", {})).status).toBe(400);
  });
});

describe("the plan", () => {
  it("status says what the plan allows; without calendar_sync, feeds answer 403 and none can be made", async () => {
    const club = await createTenant("calendar-club");
    await insertProgram(club);
    const made = await call("POST", "/v1/calendar-feeds", {
      token: club.people.owner.token,
      body: { organisation_id: club.id, name: "Club", scope: "organisation" },
    });
    expect(made.status).toBe(201);
    const status = await call("GET", `/v1/calendar/status?organisation_id=${club.id}`, {
      token: club.people.viewer.token,
    });
    expect(status.body).toMatchObject({ calendar_sync: true, feeds: 1, upgrade_url: null });
    expect(status.body.message).toBe("Your plan includes calendar feeds; 1 is set up.");

    await withDb((db) =>
      db.update(organisations).set({ plan: "free", planOverrides: {} }).where(eq(organisations.id, club.uuid)),
    );
    const refused = await fetchFeed(made.body.url);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "calendar_sync", plan: "free" });
    const downgraded = await call("GET", `/v1/calendar/status?organisation_id=${club.id}`, {
      token: club.people.viewer.token,
    });
    expect(downgraded.status, "the status is not gated").toBe(200);
    expect(downgraded.body).toMatchObject({ plan: "free", calendar_sync: false, feeds: 1 });
    expect(downgraded.body.upgrade_url).toMatch(/^https:\/\//);
    const list = await call("GET", `/v1/calendar-feeds?organisation_id=${club.id}`, { token: club.people.owner.token });
    expect(list.status, "feeds can still be found and deleted").toBe(200);
  });
});
