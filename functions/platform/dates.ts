import { z } from "@hono/zod-openapi";

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function existsInCalendar(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30), as Postgres `date` stores it. */
export const calendarDate = (description = "A calendar date, YYYY-MM-DD.") =>
  z
    .string()
    .max(10)
    .regex(ISO_DATE, "must be a date as YYYY-MM-DD")
    // zod runs this after a failed pattern too: only a well-formed date is looked up in the calendar.
    .refine((value) => !ISO_DATE.test(value) || existsInCalendar(value), "is not a date of the calendar")
    .openapi({ type: "string", format: "date", maxLength: 10, description, example: "2026-03-01" });

/** A calendar date in a response. */
export const calendarDateOut = () => z.iso.date().openapi({ maxLength: 10, example: "2026-03-01" });

/** Today's date in UTC, `YYYY-MM-DD` (what "has ended" is measured against). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether something ending on `endDate` has ended: its end date is before today (UTC); no end date never ends. */
export function hasEnded(endDate: string | null, today: string = todayUtc()): boolean {
  return endDate !== null && endDate < today;
}
