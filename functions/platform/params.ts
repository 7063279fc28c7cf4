import { z } from "@hono/zod-openapi";

// Decimal digits only: `Number()` would also read `1e2`, `0x10`, ` 7`, `+7` and `Infinity`.
const DECIMAL_DIGITS = /^[0-9]+$/;

/** An integer query or path parameter: decimal digits within bounds, else a 400 naming the parameter. */
export function integerParam(options: { min: number; max: number }) {
  const { min, max } = options;
  return z
    .string()
    .regex(DECIMAL_DIGITS, "must be a whole number in decimal digits")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .openapi({ type: "integer", format: "int32", minimum: min, maximum: max });
}
