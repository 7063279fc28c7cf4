import { z } from "@hono/zod-openapi";
import { WEEKDAYS, type WeeklySchedule } from "../../schema";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const MAX_SLOTS = 50;

/** The IANA name of a time zone the runtime knows (`europe/berlin` → `Europe/Berlin`), or null. */
export function ianaTimeZone(name: string): string | null {
  // Offsets ("+01:00") are accepted by newer Intl implementations, but they are not IANA zones.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const Slot = z
  .strictObject({
    day: z.enum(WEEKDAYS).openapi({ description: "The weekday, `mon` to `sun`." }),
    start: z
      .string()
      .max(5)
      .regex(TIME, "must be a time as HH:MM (00:00–23:59)")
      .openapi({ example: "09:00", description: "Local start time, HH:MM." }),
    end: z
      .string()
      .max(5)
      .regex(END_TIME, "must be a time as HH:MM (00:01–24:00)")
      .openapi({ example: "12:30", description: "After `start`; `24:00` for the end of the day." }),
  })
  .openapi("MeetingSlot");

/** A weekly schedule: slots in one IANA time zone, end after start, no two overlapping on a day. */
export const MeetingTimesInput = z
  .strictObject({
    time_zone: z
      .string()
      .max(64)
      .transform((name, ctx) => {
        const zone = ianaTimeZone(name);
        if (zone === null) {
          ctx.addIssue({ code: "custom", message: 'must be an IANA time zone such as "Europe/Berlin"' });
          return z.NEVER;
        }
        return zone;
      })
      .openapi({ type: "string", maxLength: 64, example: "Europe/Berlin", description: "An IANA time zone." }),
    slots: z
      .array(Slot)
      .max(MAX_SLOTS, `must have at most ${MAX_SLOTS} slots`)
      .openapi({ description: `Up to ${MAX_SLOTS} weekly slots; two on one day must not overlap.` }),
  })
  .superRefine((schedule, ctx) => {
    schedule.slots.forEach((slot, index) => {
      if (slot.end <= slot.start) {
        ctx.addIssue({ code: "custom", path: ["slots", index, "end"], message: "must be after start" });
      }
    });
    for (const day of WEEKDAYS) {
      const ofDay = schedule.slots
        .map((slot, index) => ({ slot, index }))
        .filter(({ slot }) => slot.day === day && slot.end > slot.start)
        .sort((a, b) => a.slot.start.localeCompare(b.slot.start));
      // Against the slot reaching latest so far, so a long slot overlapping several later ones is caught.
      let latest: (typeof ofDay)[number] | undefined;
      for (const current of ofDay) {
        if (latest && current.slot.start < latest.slot.end) {
          ctx.addIssue({
            code: "custom",
            path: ["slots", current.index],
            message: `overlaps slot ${latest.index} (${day} ${latest.slot.start}–${latest.slot.end})`,
          });
        }
        if (!latest || current.slot.end > latest.slot.end) latest = current;
      }
    }
  })
  .transform(
    (schedule): WeeklySchedule => ({
      time_zone: schedule.time_zone,
      // Stored in week order, so two schedules that say the same thing read the same.
      slots: [...schedule.slots].sort(
        (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.start.localeCompare(b.start),
      ),
    }),
  )
  .openapi("MeetingTimesInput", {
    example: { time_zone: "Europe/Berlin", slots: [{ day: "mon", start: "09:00", end: "12:30" }] },
  });

export const MeetingTimesSchema = z
  .object({
    time_zone: z.string().max(64).openapi({ description: "The IANA time zone the slots are in." }),
    slots: z
      .array(
        z.object({
          day: z.enum(WEEKDAYS).openapi({ description: "The weekday, `mon` to `sun`." }),
          start: z.string().max(5).openapi({ example: "09:00", description: "Local start time, HH:MM." }),
          end: z
            .string()
            .max(5)
            .openapi({ example: "12:30", description: "Local end time, HH:MM (`24:00`: midnight)." }),
        }),
      )
      .max(MAX_SLOTS)
      .openapi({ description: "The weekly slots, none overlapping on a day." }),
  })
  .openapi("MeetingTimes", {
    example: { time_zone: "Europe/Berlin", slots: [{ day: "mon", start: "09:00", end: "12:30" }] },
  });
