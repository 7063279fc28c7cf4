import type { Weekday, WeeklySchedule } from "../../schema";

/** Minutes in a week: the reference week runs from Monday 00:00 UTC (0) to the next Monday (10080). */
export const WEEK_MINUTES = 7 * 24 * 60;
const DAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in minutes (Europe/Berlin in winter: 60). */
function offsetMinutes(timeZone: string, instant: number): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

const minutesOf = (time: string) => {
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  return hours * 60 + minutes;
};

/**
 * A weekly schedule in its own time zone as UTC minutes of the reference week, merged: an `int4multirange`
 * literal such as `{[1080,1200)}` (`{}` when empty). Offsets are those of the week containing `now`, so a
 * schedule written in winter keeps its winter offset until it is written again.
 */
export function weekMinutesOf(schedule: WeeklySchedule | null | undefined, now = new Date()): string {
  if (!schedule || schedule.slots.length === 0) return "{}";
  const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
  const ranges: [number, number][] = [];
  for (const slot of schedule.slots) {
    const localStart = DAY_INDEX[slot.day] * 1440 + minutesOf(slot.start);
    const length = minutesOf(slot.end) - minutesOf(slot.start);
    if (length <= 0) continue;
    const wall = monday + localStart * 60_000;
    // The offset at the slot's own instant (twice, so a slot just past a DST change gets the new offset).
    let offset = offsetMinutes(schedule.time_zone, wall);
    offset = offsetMinutes(schedule.time_zone, wall - offset * 60_000);
    const start = (((localStart - offset) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
    const end = start + length;
    if (end <= WEEK_MINUTES) ranges.push([start, end]);
    else ranges.push([start, WEEK_MINUTES], [0, end - WEEK_MINUTES]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return `{${merged.map(([start, end]) => `[${start},${end})`).join(",")}}`;
}
