// Generators of values, driven by the document's schemas: what a schema accepts, and what it refuses (the
// wrong type, just past a bound, a near-miss id, a bad date).

import fc from "fast-check";
import { base64url } from "../../functions/platform/encoding";
import type { Schema } from "./contract";
import { document, resolveSchema } from "./served-document";

/** TypeID prefixes the document knows, from its id patterns (`^org_[0-7]...`). */
const TYPEID_PATTERN = /^\^([a-z][a-z0-9_]*?)_\[0-7\]/;
export const typeIdPrefixOf = (schema: Schema): string | undefined =>
  typeof schema.pattern === "string" ? TYPEID_PATTERN.exec(schema.pattern)?.[1] : undefined;
const KNOWN_PREFIXES = (() => {
  const prefixes = new Set<string>(["inv", "prg", "opp", "pu", "du", "skl"]);
  JSON.stringify(document, (_key, value) => {
    if (typeof value === "string") {
      const prefix = TYPEID_PATTERN.exec(value)?.[1];
      if (prefix) prefixes.add(prefix);
    }
    return value;
  });
  return [...prefixes].sort();
})();

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
const typeIdSuffix = fc
  .tuple(
    fc.constantFrom(..."01234567".split("")),
    fc.array(fc.constantFrom(...BASE32.split("")), { minLength: 25, maxLength: 25 }),
  )
  .map(([first, rest]) => first + rest.join(""));

/** Valid TypeIDs of another prefix, near misses of the right one, and what clients get wrong. */
function malformedTypeId(prefix: string): fc.Arbitrary<string> {
  const others = KNOWN_PREFIXES.filter((other) => other !== prefix);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...others), typeIdSuffix).map(([other, suffix]) => `${other}_${suffix}`),
    typeIdSuffix.map((suffix) => `${prefix.toUpperCase()}_${suffix}`),
    typeIdSuffix.map((suffix) => `${prefix}_${suffix.toUpperCase()}`),
    typeIdSuffix.map((suffix) => `${prefix}_${suffix.slice(1)}`),
    typeIdSuffix.map((suffix) => `${prefix}_${suffix}0`),
    typeIdSuffix.map((suffix) => `${prefix}_${suffix} `),
    typeIdSuffix.map((suffix) => `${prefix}-${suffix}`),
    typeIdSuffix.map((suffix) => `${prefix}__${suffix}`),
    typeIdSuffix.map((suffix) => suffix),
    fc.constant(`${prefix}_8zzzzzzzzzzzzzzzzzzzzzzzzz`), // overflows 128 bits
    fc.constant(`${prefix}_zzzzzzzzzzzzzzzzzzzzzzzzzz`),
    fc.constant(`${prefix}_01h455vb4pex5vsknk084sn0uu`), // letters outside the alphabet
    fc.constant(`${prefix}_`),
    fc.constant(`_${"0".repeat(26)}`),
    fc.uuid(),
  );
}

/** Strings that break parsers, look like tokens or cursors, or sit at odd boundaries. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\t\n",
    "\u0000",
    "a\u0007b",
    "\uD800",
    "\uFEFF",
    "null",
    "undefined",
    "true",
    "-1",
    "0",
    "1e999",
    "NaN",
    "[]",
    "{}",
    "%",
    "%00",
    "%zz",
    "../..",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    ["$", "{jndi:ldap://x}"].join(""), // log4shell-style, spelled so it is plainly not a template
    "__proto__",
    "constructor",
    "ｏｒｇ＿",
    "\u202Eevil",
    "👩‍👩‍👧‍👦",
    "Ω≈ç√∫",
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.uuid().map((uuid) => base64url(JSON.stringify({ after: uuid }))),
  fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify({ after: value }) ?? "null")),
  fc.string({ maxLength: 40 }).map((text) => base64url(text)),
  fc.integer({ min: 200, max: 5000 }).map((n) => "A".repeat(n)),
);

/** Anything JSON that is not of the given types (a JSON value of some other type). */
function wrongType(types: string[]): fc.Arbitrary<unknown> {
  const byType: Record<string, fc.Arbitrary<unknown>> = {
    null: fc.constant(null),
    boolean: fc.boolean(),
    integer: fc.integer(),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    string: fc.string({ maxLength: 20 }),
    array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  };
  const excluded = new Set(types.includes("number") ? [...types, "integer"] : types);
  const candidates = Object.entries(byType)
    .filter(([type]) => !excluded.has(type))
    .map(([, arbitrary]) => arbitrary);
  return fc.oneof(...candidates);
}

const typesOf = (schema: Schema): string[] =>
  Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];

export interface GenerationContext {
  /** Ids that exist in the test tenant, by TypeID prefix; empty where using them could destroy fixtures. */
  realIds: Record<string, string[]>;
}

/** Values the schema accepts (or nearly: server-side rules such as trimming may still refuse them). */
export function validFor(input: Schema | undefined, ctx: GenerationContext, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(input);
  if (Array.isArray(schema.allOf)) {
    return fc
      .tuple(...schema.allOf.map((part: Schema) => validFor(part, ctx, depth + 1)))
      .map((parts) => Object.assign({}, ...parts.filter((part) => part && typeof part === "object")));
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validFor({ ...schema, type }, ctx, depth)));
  switch (types[0]) {
    case "string": {
      const prefix = typeIdPrefixOf(schema);
      if (prefix) {
        const looksValid = typeIdSuffix.map((suffix) => `${prefix}_${suffix}`); // well-formed, does not exist
        const real = ctx.realIds[prefix] ?? [];
        return real.length > 0
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: looksValid })
          : looksValid;
      }
      if (schema.format === "date-time") {
        return fc
          .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
          .map((date) => date.toISOString());
      }
      if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern));
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
      return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: "grapheme", minLength, maxLength }));
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(validFor(schema.items, ctx, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case "object": {
      const properties: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(properties).length === 0 || depth > 4) return fc.dictionary(fc.string(), fc.jsonValue());
      const record = Object.fromEntries(
        Object.entries(properties).map(([key, property]) => [key, validFor(property, ctx, depth + 1)]),
      );
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key: string) => key in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values the schema refuses: the wrong type, just past a bound, a near-miss id, a bad date. */
export function invalidFor(input: Schema | undefined, ctx: GenerationContext, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(input);
  const types = typesOf(schema);
  const options: fc.Arbitrary<unknown>[] = [wrongType(types)];
  if (Array.isArray(schema.enum)) {
    const strings = schema.enum.filter((value: unknown) => typeof value === "string") as string[];
    options.push(fc.string({ maxLength: 20 }).filter((value) => !schema.enum.includes(value)));
    if (strings.length > 0) {
      options.push(fc.constantFrom(...strings).map((value) => value.toUpperCase()));
      options.push(fc.constantFrom(...strings).map((value) => ` ${value} `));
    }
  }
  if (types.includes("string")) {
    options.push(nastyString);
    if (typeof schema.maxLength === "number") {
      const max = schema.maxLength;
      options.push(fc.integer({ min: max + 1, max: max + 64 }).map((n) => "a".repeat(n)));
      options.push(fc.constant("é".repeat(max + 1)));
    }
    options.push(fc.integer({ min: 5_000, max: 20_000 }).map((n) => "x".repeat(n)));
    const prefix = typeIdPrefixOf(schema);
    if (prefix) options.push(malformedTypeId(prefix));
    if (schema.format === "date-time") {
      options.push(
        fc.constantFrom(
          "2024-13-45T99:99:99Z",
          "2024-02-30T00:00:00Z",
          "0000-01-01T00:00:00Z",
          "9999-12-31T23:59:59Z",
          "+275760-09-13T00:00:00.000Z",
          "-271821-04-20T00:00:00.000Z",
          "1970-01-01",
          "yesterday",
          "2024-01-01T00:00:00+25:00",
          "2024-01-01 00:00:00",
        ),
      );
    }
  }
  if (types.includes("integer") || types.includes("number")) {
    const min = typeof schema.minimum === "number" ? schema.minimum : 0;
    const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000;
    options.push(
      fc.constantFrom(
        min - 1,
        max + 1,
        -1,
        0,
        1.5,
        -0.5,
        1e21,
        -1e21,
        Number.MAX_SAFE_INTEGER + 2,
        String(max),
        "1e3",
        "0x10",
        "",
      ),
    );
  }
  if (types.includes("array")) {
    const item = validFor(schema.items, ctx, depth + 1);
    if (typeof schema.maxItems === "number") {
      options.push(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 3 }));
    }
    if (typeof schema.minItems === "number" && schema.minItems > 0) options.push(fc.constant([]));
    options.push(fc.array(invalidFor(schema.items, ctx, depth + 1), { minLength: 1, maxLength: 3 }));
  }
  if (types.includes("object") && schema.properties && depth < 3) {
    options.push(mixedObject(schema, ctx, depth + 1));
  }
  return fc.oneof(...options);
}

/** The schema's keys, each valid, invalid or absent: right keys, wrong types, missing requireds. */
export function mixedObject(schema: Schema, ctx: GenerationContext, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const record = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [
      key,
      fc.oneof(
        { weight: 2, arbitrary: validFor(property, ctx, depth) },
        { weight: 2, arbitrary: invalidFor(property, ctx, depth) },
      ),
    ]),
  );
  return fc.record(record, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}
