import ical, { ICalEventRepeatingFreq, ICalEventStatus, ICalWeekday } from "ical-generator";
import { tzlib_get_ical_block } from "timezones-ical-library";
import type { CalendarFeed, Opportunity, Program, WeeklySchedule } from "../../schema";
import { ID_PREFIX, toTypeId } from "../platform/ids";

const WEEKDAY: Record<WeeklySchedule["slots"][number]["day"], { ical: ICalWeekday; index: number }> = {
  mon: { ical: ICalWeekday.MO, index: 1 },
  tue: { ical: ICalWeekday.TU, index: 2 },
  wed: { ical: ICalWeekday.WE, index: 3 },
  thu: { ical: ICalWeekday.TH, index: 4 },
  fri: { ical: ICalWeekday.FR, index: 5 },
  sat: { ical: ICalWeekday.SA, index: 6 },
  sun: { ical: ICalWeekday.SU, index: 0 },
};

/** The VTIMEZONE of an IANA zone and the TZID it goes by (`UTC` is `Etc/UTC`), or null for a zone it lacks. */
function vtimezone(zone: string): { tzid: string; block: string } | null {
  const found = tzlib_get_ical_block(zone);
  if (!Array.isArray(found) || !found[0] || !found[1]) return null;
  return { tzid: found[1].replace(/^TZID=/, ""), block: found[0] };
}

/** `2026-03-01` plus `days`. */
function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const n = (type: string) => Number(parts[type] ?? 0);
  const local = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return local - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in a zone names (the later reading in a fall-back hour). */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const wall = Date.parse(`${date}T${time}Z`);
  let instant = wall - offsetAt(wall, zone);
  instant = wall - offsetAt(instant, zone);
  return new Date(instant);
}

/** The first day on or after `from` that falls on the weekday. */
function firstOnOrAfter(from: string, weekday: number): string {
  const day = new Date(`${from}T00:00:00Z`).getUTCDay();
  return addDays(from, (weekday - day + 7) % 7);
}

export interface FeedContents {
  programs: Program[];
  opportunities: Opportunity[];
}

/**
 * The feed as iCalendar (RFC 5545), the same bytes for the same rows (stamps are the rows' `updated_at`), so its
 * digest is an ETag. Programs and opportunities are all-day spans (DTEND the day after the last; an open-ended
 * opportunity, its first day); an opportunity's meeting slots are weekly events in its time zone, with the
 * zone's VTIMEZONE, until its last day.
 */
export function renderCalendar(feed: CalendarFeed, contents: FeedContents): string {
  const calendar = ical({
    name: feed.name,
    prodId: { company: "Muster", product: "Muster API", language: "EN" },
    ttl: 60 * 60,
    timezone: { name: null, generator: (zone) => vtimezone(zone)?.block ?? "" },
  });
  for (const program of contents.programs) {
    const id = toTypeId(ID_PREFIX.program, program.id);
    calendar.createEvent({
      id: `${id}@muster`,
      allDay: true,
      start: program.startDate,
      end: addDays(program.endDate, 1),
      summary: program.name,
      description: program.description || null,
      stamp: program.updatedAt,
      lastModified: program.updatedAt,
    });
  }
  for (const opportunity of contents.opportunities) {
    const id = toTypeId(ID_PREFIX.opportunity, opportunity.id);
    const status =
      opportunity.status === "draft" || opportunity.status === "on_hold"
        ? ICalEventStatus.TENTATIVE
        : ICalEventStatus.CONFIRMED;
    const common = {
      summary: opportunity.name,
      description: opportunity.description || null,
      stamp: opportunity.updatedAt,
      lastModified: opportunity.updatedAt,
      status,
    };
    calendar.createEvent({
      ...common,
      // A calendar has no open-ended span: an opportunity without an end date is its first day, said so.
      ...(opportunity.endDate ? {} : { summary: `${opportunity.name} (open-ended, from this day)` }),
      id: `${id}@muster`,
      allDay: true,
      start: opportunity.startDate,
      end: addDays(opportunity.endDate ?? opportunity.startDate, 1),
    });
    const schedule = opportunity.meetingTimes;
    if (!schedule) continue;
    const zone = vtimezone(schedule.time_zone);
    for (const slot of schedule.slots) {
      const first = firstOnOrAfter(opportunity.startDate, WEEKDAY[slot.day].index);
      if (opportunity.endDate && first > opportunity.endDate) continue;
      const endDay = slot.end === "24:00" ? addDays(first, 1) : first;
      const endTime = slot.end === "24:00" ? "00:00" : slot.end;
      const until = opportunity.endDate ? zonedInstant(opportunity.endDate, "23:59:59", schedule.time_zone) : null;
      calendar.createEvent({
        ...common,
        id: `${id}-${slot.day}-${slot.start.replace(":", "")}@muster`,
        // In the zone's own time, so the meeting keeps its hour across daylight saving; a zone without a
        // VTIMEZONE of the library's is written in UTC (right on the first day, an hour off after a change).
        ...(zone
          ? { timezone: zone.tzid, start: `${first}T${slot.start}:00`, end: `${endDay}T${endTime}:00` }
          : {
              start: zonedInstant(first, `${slot.start}:00`, schedule.time_zone),
              end: zonedInstant(endDay, `${endTime}:00`, schedule.time_zone),
            }),
        repeating: {
          freq: ICalEventRepeatingFreq.WEEKLY,
          byDay: [WEEKDAY[slot.day].ical],
          ...(until ? { until } : {}),
        },
      });
    }
  }
  // RFC 5545 ends every content line with CRLF, the last one too; the library leaves it off.
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
