// Generators of the URL's parts: path segment values and query strings, clean or messy.

import fc from "fast-check";
import type { Parameter, Schema } from "./contract";
import { type GenerationContext, invalidFor, nastyString, validFor } from "./values";

/** Percent-encodes every byte but the unreserved ones (lone surrogates become U+FFFD first). */
export function percentEncode(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

/** A path segment value; never empty or a dot segment, which would make it another route's request. */
export function pathValue(schema: Schema | undefined, ctx: GenerationContext): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 5, arbitrary: validFor(schema, ctx).map(asText) },
      { weight: 3, arbitrary: invalidFor(schema, ctx).map(asText) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 30 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 6000 }).map((n) => "z".repeat(n)) },
    )
    .filter((value) => value !== "" && value !== "." && value !== "..");
}

const encodeQuery = (pairs: [string, string][], junk?: string) => {
  const parts = pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`);
  if (junk !== undefined) parts.push(junk);
  return parts.length > 0 ? `?${parts.join("&")}` : "";
};

/**
 * A query string: either clean (declared parameters with valid values, or absent), so the request gets past
 * validation to the handler, or messy (valid, invalid or absent values, unknown parameters, raw junk).
 */
export function queryString(parameters: Parameter[], ctx: GenerationContext): fc.Arbitrary<string> {
  const declared = parameters.filter((parameter) => parameter.in === "query");
  // Optional parameters mostly absent: opaque ones (`cursor`) cannot be made up, and each filter narrows.
  const cleanPairs = declared.map((parameter) =>
    fc.oneof(
      { weight: parameter.required ? 0 : 3, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: validFor(parameter.schema, ctx).map((value) => [parameter.name, asText(value)] as [string, string]),
      },
    ),
  );
  const clean = fc
    .tuple(...cleanPairs)
    .map((pairs) => encodeQuery(pairs.filter((pair): pair is [string, string] => pair !== undefined)));
  const declaredPairs = declared.map((parameter) => {
    const valueArb = fc.oneof(
      { weight: 3, arbitrary: validFor(parameter.schema, ctx).map(asText) },
      { weight: 3, arbitrary: invalidFor(parameter.schema, ctx).map(asText) },
      { weight: 1, arbitrary: nastyString },
    );
    return fc.option(
      valueArb.map((value) => [parameter.name, value] as [string, string]),
      { nil: undefined, freq: parameter.required ? 8 : 2 },
    );
  });
  const names = declared.map((parameter) => parameter.name);
  const unknown = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...names, "limit", "cursor", "organisation_id", "id", "sort", "expand", "a[b]", "__proto__"),
        fc.string({ minLength: 1, maxLength: 12 }),
      ),
      fc.oneof(nastyString, fc.string({ maxLength: 12 })),
    ),
    { maxLength: 3 },
  );
  const raw = fc.option(
    fc.constantFrom("%", "%zz", "a=%E0%A4%A", "=", "&&&", "limit", "limit=", "cursor=%00", "x=%C0%AF", "a=1;b=2"),
    { nil: undefined, freq: 6 },
  );
  const messy = fc
    .tuple(fc.tuple(...declaredPairs), unknown, raw)
    .map(([pairs, extra, junk]) =>
      encodeQuery([...pairs.filter((pair): pair is [string, string] => pair !== undefined), ...extra], junk),
    );
  return fc.oneof({ weight: 2, arbitrary: clean }, { weight: 3, arbitrary: messy });
}
