/** One day in milliseconds, for expiries counted in days. */
export const DAY_MS = 86_400_000;

/** Today's date in UTC, `YYYY-MM-DD`. */
export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);

/** A date (`YYYY-MM-DD`) has passed once it is before today in UTC; no date never passes. */
export const hasPassed = (date: string | null, now = new Date()): boolean => date !== null && date < todayUtc(now);
