import { z } from "@hono/zod-openapi";

// Every C0 and C1 control character, tab and line breaks included: single-line text (a name) takes none.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the intent
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;
// The same minus tab, line feed and carriage return, which multi-line text (a description, a message) keeps.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the intent
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// The same classes for the OpenAPI document (ECMA-262 patterns, escaped so the JSON stays printable).
const SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";
const MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
const HTML_TAG = /<\/?[a-zA-Z!][^<>]*>/g;

/** Removes HTML tags and entity-encodes what could still open one, so display text renders inert. */
export function stripHtml(value: string): string {
  return value.replace(HTML_TAG, "").replaceAll("<", "").replaceAll(">", "");
}

/** A name from outside our validation (a token's `name` claim): one inert line, capped, or null if nothing is left. */
export function cleanName(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const oneLine = value.replace(/[\t\n\r]+/g, " ").replace(new RegExp(CONTROL_CHARACTERS, "g"), "");
  const cleaned = stripHtml(oneLine).trim().slice(0, max).trim();
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * Display text: trimmed, tags stripped, control characters rejected, length-capped. It is one line (a name)
 * unless `multiline`, which lets tab, line feed and carriage return through (a description, a message).
 */
export function displayText(options: { max: number; min?: number; multiline?: boolean }) {
  const min = options.min ?? 0;
  const forbidden = options.multiline ? CONTROL_CHARACTERS_BUT_LINE_BREAKS : CONTROL_CHARACTERS;
  return z
    .string()
    .max(options.max * 4, `must be at most ${options.max} characters`)
    .refine(
      (value) => !forbidden.test(value),
      options.multiline ? "must not contain control characters" : "must be one line without control characters",
    )
    .transform((value) => stripHtml(value).trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(options.max, `must be at most ${options.max} characters`),
    )
    .openapi({
      type: "string",
      minLength: min,
      maxLength: options.max,
      pattern: options.multiline ? MULTI_LINE_PATTERN : SINGLE_LINE_PATTERN,
      description: options.multiline
        ? "Tab and line breaks are kept; other control characters are refused."
        : "One line: control characters, tab and line breaks included, are refused.",
    });
}

/** An email address: trimmed, validated, lower-cased. */
export const emailAddress = z
  .string()
  .max(254)
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.email("must be a valid email address").max(254))
  .openapi({ type: "string", format: "email", maxLength: 254, example: "alice@example.com" });
