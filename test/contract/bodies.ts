// Generators of request bodies: valid, mixed and invalid values, unknown keys, deep nesting, broken JSON,
// wrong content types, forms, no body and huge ones.

import fc from "fast-check";
import type { Schema } from "./contract";
import { resolveSchema } from "./served-document";
import { type GenerationContext, invalidFor, mixedObject, validFor } from "./values";

/** Keys no request body accepts: server-owned fields, prototype keys, random and very long names. */
const unknownKeys = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "id",
      "object",
      "created_at",
      "updated_at",
      "created_by",
      "organisation_id",
      "owner",
      "role",
      "built_in",
      "key",
      "",
    ),
    fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.integer({ min: 100, max: 3000 }).map((n) => "k".repeat(n)),
  ),
  fc.jsonValue({ maxDepth: 2 }),
  { minKeys: 1, maxKeys: 4 },
);

const merge = (base: unknown, extra: Record<string, unknown>) =>
  Object.fromEntries([...Object.entries(base && typeof base === "object" ? base : {}), ...Object.entries(extra)]);

/** Deeply nested values: arrays, objects, and known keys whose values nest. */
function nestedJunk(schema: Schema): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  const nest = (depth: number, leaf: unknown, asArray: boolean) => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  };
  return fc.oneof(
    fc
      .tuple(fc.integer({ min: 10, max: 3000 }), fc.jsonValue({ maxDepth: 1 }), fc.boolean())
      .map(([depth, leaf, asArray]) => nest(depth, leaf, asArray)),
    keys.length > 0
      ? fc
          .tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 2, max: 50 }))
          .map(([key, leaf, depth]) => ({ [key]: nest(depth, leaf, false) }))
      : fc.jsonValue({ maxDepth: 6 }),
  );
}

/** One request body: the text sent (null: none) and its content type (null: no header at all). */
export interface BodyCase {
  label: string;
  contentType: string | null;
  text: string | null;
}

const WRONG_CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/xml",
  "text/json",
  "application/jsonx",
  "json",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "",
];
const JSON_CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/merge-patch+json",
  "application/json; charset=utf-16",
];
const INVALID_JSON = [
  "",
  " ",
  "{",
  "[",
  "}",
  '{"name":}',
  '{"name": "a",}',
  "{'name': 'a'}",
  '{"a":1}}',
  "nul",
  "NaN",
  "undefined",
  "\u0000",
  "\uFEFF{}",
  '{"a": "\\u00"}',
  '{"a": "\\uD800"}',
  "[".repeat(10_000),
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
];

export function bodyCases(schema: Schema | undefined, ctx: GenerationContext): fc.Arbitrary<BodyCase> {
  const resolved = resolveSchema(schema);
  const value = fc.oneof(
    { weight: 5, arbitrary: validFor(resolved, ctx) },
    { weight: 4, arbitrary: resolved.properties ? mixedObject(resolved, ctx) : invalidFor(resolved, ctx) },
    { weight: 3, arbitrary: fc.tuple(validFor(resolved, ctx), unknownKeys).map(([base, extra]) => merge(base, extra)) },
    { weight: 2, arbitrary: invalidFor(resolved, ctx) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: nestedJunk(resolved) },
  );
  const json = (v: unknown) => JSON.stringify(v) ?? "null";
  const formOf = (v: unknown) =>
    new URLSearchParams(
      Object.entries(v && typeof v === "object" && !Array.isArray(v) ? v : { value: v }).map(
        ([k, inner]): [string, string] => [k, typeof inner === "string" ? inner : json(inner)],
      ),
    ).toString();
  return fc.oneof(
    { weight: 10, arbitrary: value.map((v) => ({ label: "json", contentType: "application/json", text: json(v) })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...JSON_CONTENT_TYPES), value)
        .map(([contentType, v]) => ({ label: "json (content type variant)", contentType, text: json(v) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...INVALID_JSON),
          fc.string({ unit: "binary", maxLength: 60 }).filter((text) => !parsesAsJson(text)),
        )
        .map((text) => ({ label: "invalid json", contentType: "application/json", text })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES), value)
        .map(([contentType, v]) => ({ label: "wrong content type", contentType, text: json(v) })),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => ({ label: "no content type", contentType: null, text: json(v) })),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => ({
        label: "form",
        contentType: "application/x-www-form-urlencoded",
        text: formOf(v),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodyCase>(
        { label: "no body", contentType: null, text: null },
        { label: "no body, json content type", contentType: "application/json", text: null },
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 60_000, max: 90_000 }),
          fc.constantFrom(...Object.keys(resolved.properties ?? {}), "x"),
        )
        .map(([n, key]) => ({ label: "huge", contentType: "application/json", text: json({ [key]: "x".repeat(n) }) })),
    },
  );
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
