/** One day in milliseconds, for expiries counted in days. */
export const DAY_MS = 86_400_000;
