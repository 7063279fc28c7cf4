// Property tests from the contract: every operation in the OpenAPI document is fed malformed and boundary
// input (fast-check), and every answer must be a declared status, never a 5xx, with a body that matches the
// schema the document declares for that status, strictly (ajv; test/contract-schemas.ts). The operations come
// from the document the app serves, so a new route is covered the day it appears. Also: the registered routes
// and the document match both ways, every operation carries the metadata and error responses the contract
// requires, and the check the harness runs on every reply can fail.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../functions/gateway";
import { base64url } from "../functions/platform/encoding";
import { Contract, isJsonMedia, type Operation, operationName, type Parameter, type Schema } from "./contract/contract";
import { call, createTenant, type Reply, type Tenant } from "./harness";

// ---------------------------------------------------------------------------------------------------------
// The document, fetched through the app at collection time.

const served = await call("GET", "/openapi.json");
if (served.status !== 200 || typeof served.body !== "object") {
  throw new Error(`GET /openapi.json answered ${served.status}: ${served.text.slice(0, 500)}`);
}
const document: any = served.body;
const contract = new Contract(document);
const componentSchemas: Record<string, Schema> = document.components?.schemas ?? {};
const operations = contract.operations;
const resolveRef = (value: any): any => contract.resolveRef(value);
const resolveSchema = (schema: Schema | undefined): Schema => contract.resolveSchema(schema);

/** What is wrong with a response to malformed input: what the contract says, and no 5xx whatever it declares. */
function contractProblems(op: Operation, reply: Reply): string[] {
  const serverError = reply.status >= 500 ? [`status ${reply.status} is a server error (no input may cause one)`] : [];
  return [...serverError, ...contract.problems(op, reply)];
}

// ---------------------------------------------------------------------------------------------------------
// Generators, driven by the document's schemas.

/** TypeID prefixes the document knows, from its id patterns (`^org_[0-7]...`). */
const TYPEID_PATTERN = /^\^([a-z][a-z0-9_]*?)_\[0-7\]/;
const typeIdPrefixOf = (schema: Schema): string | undefined =>
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
const nastyString: fc.Arbitrary<string> = fc.oneof(
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

interface GenerationContext {
  /** Ids that exist in the test tenant, by TypeID prefix; empty where using them could destroy fixtures. */
  realIds: Record<string, string[]>;
}

/** Values the schema accepts (or nearly: server-side rules such as trimming may still refuse them). */
function validFor(input: Schema | undefined, ctx: GenerationContext, depth = 0): fc.Arbitrary<unknown> {
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
function invalidFor(input: Schema | undefined, ctx: GenerationContext, depth = 0): fc.Arbitrary<unknown> {
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
function mixedObject(schema: Schema, ctx: GenerationContext, depth = 0): fc.Arbitrary<Record<string, unknown>> {
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
interface BodyCase {
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

function bodyCases(schema: Schema | undefined, ctx: GenerationContext): fc.Arbitrary<BodyCase> {
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

/** Percent-encodes every byte but the unreserved ones (lone surrogates become U+FFFD first). */
function percentEncode(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? "null"));

/** A path segment value; never empty or a dot segment, which would make it another route's request. */
function pathValue(schema: Schema | undefined, ctx: GenerationContext): fc.Arbitrary<string> {
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
function queryString(parameters: Parameter[], ctx: GenerationContext): fc.Arbitrary<string> {
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

// ---------------------------------------------------------------------------------------------------------
// The fixture: a tenant of its own, so whatever generated requests happen to succeed stays here.

let tenant: Tenant;
/** Resources the generated requests may point at (and, where a valid body comes up, change). */
let customRoleId: string;
let targetServiceAccountId: string;

interface Credential {
  label: string;
  header: string | undefined;
}

function credentials(): fc.Arbitrary<Credential> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ label: "owner", header: `Bearer ${tenant.people.owner.token}` }) },
    {
      weight: 2,
      arbitrary: fc.constant({ label: "service account", header: `Bearer ${tenant.serviceAccount.token}` }),
    },
    { weight: 2, arbitrary: fc.constant({ label: "anonymous", header: undefined }) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "Bearer a.b.c",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            "Basic Zm9vOmJhcg==",
            "Basic %%%",
            "Basic OmJhcg==",
            `Basic ${btoa("cred_01h455vb4pex5vsknk084sn02q:secret")}`,
            "Digest x",
          ),
          fc.string({ unit: "grapheme-ascii", maxLength: 60 }).map((junk) => `Bearer ${junk}`),
        )
        .map((header) => ({ label: "garbage credentials", header })),
    },
  );
}

/** Which existing ids an operation may be pointed at: none for DELETE, no member as a body value. */
function contextFor(op: Operation, where: "path" | "query" | "body"): GenerationContext {
  if (op.method === "DELETE") return { realIds: {} };
  const realIds: Record<string, string[]> = {
    org: [tenant.id],
    role: [tenant.roleIds.viewer, customRoleId],
    mem: [tenant.people.viewer.memberId],
    // Not the tenant's own service account: its token is one of the credentials the requests are sent with.
    sa: [targetServiceAccountId],
    usr: [tenant.people.viewer.userId],
  };
  // A body naming a real member could move ownership (transfer) to it under the later runs.
  if (where === "body") delete realIds.mem;
  return { realIds };
}

interface GeneratedRequest {
  method: string;
  path: string;
  credential: Credential;
  body: BodyCase | undefined;
}

function requests(op: Operation): fc.Arbitrary<GeneratedRequest> {
  const pathParameters = op.parameters.filter((parameter) => parameter.in === "path");
  const pathArb = fc.tuple(...pathParameters.map((parameter) => pathValue(parameter.schema, contextFor(op, "path"))));
  const requestBody = op.operation.requestBody ? resolveRef(op.operation.requestBody) : undefined;
  const content: Record<string, { schema?: Schema }> = requestBody?.content ?? {};
  const jsonSchema = Object.entries(content).find(([media]) => isJsonMedia(media.toLowerCase()))?.[1]?.schema;
  const bodyArb: fc.Arbitrary<BodyCase | undefined> = requestBody
    ? bodyCases(jsonSchema ?? Object.values(content)[0]?.schema, contextFor(op, "body"))
    : fc.constant(undefined);
  return fc
    .record({
      values: pathArb,
      query: queryString(op.parameters, contextFor(op, "query")),
      credential: credentials(),
      body: bodyArb,
      // API.md: a trailing slash is served the same as without.
      trailingSlash: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map(({ values, query, credential, body, trailingSlash }) => {
      let path = op.path;
      pathParameters.forEach((parameter, index) => {
        path = path.replace(`{${parameter.name}}`, percentEncode(values[index]!));
      });
      return { method: op.method, path: `${path}${trailingSlash ? "/" : ""}${query}`, credential, body };
    });
}

/**
 * Fixed cases every operation also gets, before the generated ones: names that collide with
 * `Object.prototype` (as query parameters and body keys) and an unknown body key far longer than any message.
 */
function boundaryExamples(op: Operation): GeneratedRequest[] {
  let path = op.path;
  for (const parameter of op.parameters.filter((candidate) => candidate.in === "path")) {
    const prefix = typeIdPrefixOf(resolveSchema(parameter.schema));
    path = path.replace(`{${parameter.name}}`, prefix ? `${prefix}_${"0".repeat(26)}` : "x");
  }
  const credential: Credential = { label: "owner", header: `Bearer ${tenant.people.owner.token}` };
  const json = (text: string): BodyCase => ({ label: "json", contentType: "application/json", text });
  const hasBody = op.operation.requestBody !== undefined;
  const examples: GeneratedRequest[] = [
    {
      method: op.method,
      path: `${path}?constructor=1&__proto__=1&toString=1&hasOwnProperty=1`,
      credential,
      body: hasBody ? json("{}") : undefined,
    },
  ];
  if (hasBody) {
    for (const text of ['{"__proto__":{}}', '{"constructor":1}', '{"toString":"x"}', `{"${"k".repeat(3000)}":1}`]) {
      examples.push({ method: op.method, path, credential, body: json(text) });
    }
  }
  return examples;
}

async function send(request: GeneratedRequest): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (request.credential.header !== undefined) headers.authorization = request.credential.header;
  let rawBody: Uint8Array | undefined;
  if (request.body) {
    if (request.body.contentType !== null) headers["content-type"] = request.body.contentType;
    // Bytes, so no content type is added for us when the case sends none.
    if (request.body.text !== null) rawBody = new TextEncoder().encode(request.body.text);
  }
  // `env: {}` runs the gateway's own fetch with the test bindings and a fresh execution context. Through the
  // `exports` service binding each request is slower than the one before (0.3 s per 50 requests at first,
  // over 4 s after a few hundred), which would make hundreds of generated requests crawl.
  // Unchecked by the harness: the property checks the reply itself, also for 5xx, and reports the request.
  return call(request.method, request.path, { headers, rawBody, env: {}, unchecked: true });
}

const clip = (text: string, max = 1500) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

function report(request: GeneratedRequest, reply: Reply, problems: string[]): string {
  const body = request.body;
  return [
    `${request.method} ${clip(request.path, 600)}`,
    `  credentials: ${request.credential.label}${request.credential.header ? ` (${clip(request.credential.header, 80)})` : ""}`,
    body
      ? `  body (${body.label}): content-type ${body.contentType === null ? "(none)" : JSON.stringify(body.contentType)}, ${body.text === null ? "no body" : clip(JSON.stringify(body.text))}`
      : "  body: (none)",
    `→ ${reply.status} ${reply.headers.get("content-type") ?? "(no content type)"}`,
    `  ${clip(reply.text) || "(empty body)"}`,
    "problems:",
    ...problems.map((problem) => `  - ${problem}`),
  ].join("\n");
}

const SEED = 20_240_501;
const RUNS = 40;

beforeAll(async () => {
  tenant = await createTenant("contract");
  const role = await call("POST", "/v1/roles", {
    token: tenant.people.owner.token,
    body: { organisation_id: tenant.id, name: "Contract fuzz target", permissions: ["audit:read"] },
  });
  if (role.status !== 201) throw new Error(`custom role creation failed: ${role.status} ${role.text}`);
  customRoleId = role.body.id;
  const account = await call("POST", "/v1/service-accounts", {
    token: tenant.people.owner.token,
    body: { organisation_id: tenant.id, name: "Contract fuzz target", role_id: tenant.roleIds.viewer },
  });
  if (account.status !== 201) throw new Error(`service account creation failed: ${account.status} ${account.text}`);
  targetServiceAccountId = account.body.id;
});

// ---------------------------------------------------------------------------------------------------------

describe("contract: every operation answers malformed and boundary input within its contract", () => {
  it("the document lists operations to test", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  for (const op of operations) {
    it(`${operationName(op)} never answers 5xx, an undeclared status or a body off its schema to malformed input`, async () => {
      await fc.assert(
        fc.asyncProperty(requests(op), async (request) => {
          const reply = await send(request);
          const problems = contractProblems(op, reply);
          if (problems.length > 0) throw new Error(report(request, reply, problems));
        }),
        {
          seed: SEED,
          numRuns: RUNS,
          examples: boundaryExamples(op).map((example) => [example] as [GeneratedRequest]),
          includeErrorInReport: true,
          // No time limit: an interrupted property passes on the runs it had (none, at worst).
        },
      );
    }, 60_000);
  }
});

describe("contract: the document and the app", () => {
  it("the registered routes and the document's operations match both ways", () => {
    const fromDocument = new Set(operations.map(operationName));
    const fromApp = new Set(
      app.routes
        .filter((route) => route.method !== "ALL")
        // Hono writes `/:id` (optionally `/:id{regex}`) where the document writes `/{id}`; `:verb` suffixes stay.
        .map((route) => `${route.method} ${route.path.replace(/\/:([A-Za-z0-9_]+)(?:\{[^}]*\})?/g, "/{$1}")}`),
    );
    const undocumented = [...fromApp].filter((pair) => !fromDocument.has(pair)).sort();
    const unhandled = [...fromDocument].filter((pair) => !fromApp.has(pair)).sort();
    expect(undocumented, "routes the app serves that the document does not describe").toEqual([]);
    expect(unhandled, "operations the document describes that no route handles").toEqual([]);
    expect(fromApp.size).toBeGreaterThan(0);
  });

  it("every declared response schema compiles, and the response check refuses what breaks the contract", () => {
    const uncompilable: string[] = [];
    for (const op of operations) {
      for (const [status, declared] of Object.entries<any>(op.operation.responses ?? {})) {
        for (const [media, { schema }] of Object.entries<any>(resolveRef(declared).content ?? {})) {
          try {
            if (schema) contract.validatorFor(op, status, media);
          } catch (error) {
            uncompilable.push(`${operationName(op)} ${status} ${media}: ${String(error)}`);
          }
        }
      }
    }
    expect(uncompilable).toEqual([]);

    // The check itself must be able to fail: a made-up answer for each kind of breach.
    const fake = (status: number, text: string, type = "application/json"): Reply => ({
      status,
      text,
      body: undefined,
      headers: new Headers(text ? { "content-type": type } : {}),
    });
    const error = (code: string) => JSON.stringify({ error: { code, message: "m", request_id: "req_1" } });
    const withObject = operations.find((op) =>
      Object.entries<any>(op.operation.responses ?? {}).some(
        ([status, declared]) =>
          status.startsWith("2") &&
          (resolveSchema(resolveRef(declared).content?.["application/json"]?.schema).required ?? []).length > 0,
      ),
    );
    const withoutContent = operations.find((op) => op.operation.responses?.["204"]);
    expect(withObject, "an operation answering a JSON object").toBeDefined();
    const success = Object.keys(withObject!.operation.responses).find((status) => status.startsWith("2"))!;
    expect(contractProblems(withObject!, fake(Number(success), "{}")).join()).toMatch(/does not match/);
    expect(contractProblems(withObject!, fake(Number(success), "{}", "text/plain")).join()).toMatch(/not declared/);
    expect(contractProblems(withObject!, fake(418, error("not_found"))).join()).toMatch(/418 is not declared/);
    expect(contractProblems(withObject!, fake(500, error("internal_error"))).join()).toMatch(/server error/);
    expect(contractProblems(withObject!, fake(401, error("conflict"))).join()).toMatch(/belongs to status 409/);
    expect(contractProblems(withObject!, fake(401, error("not_authenticated")))).toEqual([]);
    expect(withoutContent, "an operation answering 204 without content").toBeDefined();
    expect(contractProblems(withoutContent!, fake(204, "null")).join()).toMatch(/declares no content/);
    expect(contractProblems(withoutContent!, fake(204, ""))).toEqual([]);
  });

  it("every operation has an operationId, tags, a summary, x-access and the Error schema on 500 (and 401 unless public)", () => {
    const problems: string[] = [];
    const ids = new Map<string, string>();
    const errorRef = "#/components/schemas/Error";
    const hasErrorSchema = (op: Operation, status: string) => {
      const response = op.operation.responses?.[status];
      return response !== undefined && resolveRef(response).content?.["application/json"]?.schema?.$ref === errorRef;
    };
    expect(componentSchemas.Error, "components.schemas.Error").toBeDefined();
    expect(document.components?.securitySchemes?.bearerAuth, "components.securitySchemes.bearerAuth").toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    for (const op of operations) {
      const name = operationName(op);
      const { operationId, tags, summary, security } = op.operation;
      const access = op.operation["x-access"];
      if (typeof operationId !== "string" || operationId === "") problems.push(`${name}: no operationId`);
      else if (ids.has(operationId))
        problems.push(`${name}: operationId ${operationId} also on ${ids.get(operationId)}`);
      else ids.set(operationId, name);
      if (!Array.isArray(tags) || tags.length === 0) problems.push(`${name}: no tags`);
      if (typeof summary !== "string" || summary.trim() === "") problems.push(`${name}: no summary`);
      if (typeof access?.public !== "boolean") problems.push(`${name}: no x-access.public`);
      if (!hasErrorSchema(op, "500")) problems.push(`${name}: no 500 response with the Error schema`);
      if (access?.public !== true) {
        if (!hasErrorSchema(op, "401")) problems.push(`${name}: not public, but no 401 response with the Error schema`);
        const bearer =
          Array.isArray(security) &&
          security.some((requirement: Record<string, unknown>) => Object.hasOwn(requirement ?? {}, "bearerAuth"));
        if (!bearer) problems.push(`${name}: not public, but its security does not require bearerAuth`);
      }
    }
    expect(problems).toEqual([]);
  });
});
