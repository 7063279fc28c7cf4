import { z } from "@hono/zod-openapi";

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `YYYY-MM-DD` names a day that exists (no 2026-02-30), in years 0001–9999. */
export function isCalendarDate(value: string): boolean {
  const match = DATE_SHAPE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date in a request (`2026-01-31`): the shape and a day that exists, else a 400 naming the field. */
export const calendarDate = (description = "A calendar date, YYYY-MM-DD.") =>
  z
    .string()
    .max(10)
    .regex(DATE_SHAPE, "must be a date as YYYY-MM-DD")
    // zod runs this after a failed pattern too: only a well-formed date is looked up in the calendar.
    .refine((value) => !DATE_SHAPE.test(value) || isCalendarDate(value), "is not a day of the calendar")
    .openapi({ format: "date", maxLength: 10, example: "2026-01-31", pattern: DATE_SHAPE.source, description });

/** A calendar date in a response. */
export const calendarDateOut = () => z.string().max(10).openapi({ format: "date", example: "2026-01-31" });

/** An instant in a query (`since`, `until`): ISO 8601 with an offset or `Z`, as a Date. */
export const instantInput = () =>
  z.iso
    .datetime({ offset: true, error: 'must be a date-time with an offset or Z, e.g. "2026-11-01T00:00:00Z"' })
    .transform((value) => new Date(value))
    .openapi({ type: "string", format: "date-time", maxLength: 40, example: "2026-11-01T00:00:00Z" });

/** Today's date in UTC, `YYYY-MM-DD` (what "has ended" is measured against). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether something ending on `endDate` has ended: its end date is before today (UTC); no end date never ends. */
export function hasEnded(endDate: string | null, today: string = todayUtc()): boolean {
  return endDate !== null && endDate < today;
}
