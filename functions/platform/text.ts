import { z } from "@hono/zod-openapi";

// C0/C1 control characters other than tab and newlines: finding them is the point of this pattern.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the intent
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const HTML_TAG = /<\/?[a-zA-Z!][^<>]*>/g;

/** Removes HTML tags and entity-encodes what could still open one, so display text renders inert. */
export function stripHtml(value: string): string {
  return value.replace(HTML_TAG, "").replaceAll("<", "").replaceAll(">", "");
}

/** A name from outside our validation (a token's `name` claim): made inert and capped, or null if nothing is left. */
export function cleanName(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const cleaned = stripHtml(value.replace(new RegExp(CONTROL_CHARACTERS, "g"), ""))
    .trim()
    .slice(0, max)
    .trim();
  return cleaned.length > 0 ? cleaned : null;
}

/** Display text: trimmed, tags stripped, control characters rejected, length-capped. */
export function displayText(options: { max: number; min?: number }) {
  const min = options.min ?? 0;
  return z
    .string()
    .max(options.max * 4, `must be at most ${options.max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters")
    .transform((value) => stripHtml(value).trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(options.max, `must be at most ${options.max} characters`),
    )
    .openapi({ type: "string", minLength: min, maxLength: options.max });
}

/** An email address: trimmed, validated, lower-cased. */
export const emailAddress = z
  .string()
  .max(254)
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.email("must be a valid email address").max(254))
  .openapi({ type: "string", format: "email", maxLength: 254, example: "alice@example.com" });
