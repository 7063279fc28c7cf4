// Strict copies of a document's schemas for ajv: every object schema that does not say otherwise is closed
// (`additionalProperties: false`, or `unevaluatedProperties: false` over an `allOf`), so a renamed or unexpected
// field fails instead of passing an absence check. Only the compiled copies are closed; the published document
// stays as it is.

export type Schema = Record<string, any>;

export const STRICT_ID = "https://contract.test/components";
/** The same components with their top level left open, for `allOf` members (closed once, by the `allOf`). */
export const OPEN_ID = "https://contract.test/components-open";

const isPlainObject = (value: unknown): value is Schema =>
  value !== null && typeof value === "object" && !Array.isArray(value);
export const mapValues = (value: Schema, map: (inner: unknown) => unknown) =>
  Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, map(inner)]));
const typesOf = (schema: Schema): string[] =>
  Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];

/**
 * A copy of a schema with `#/components/schemas/X` pointing into the registered components, and every object
 * schema closed unless it says what else it allows. `open` leaves the top level open: an `allOf` member, whose
 * properties only the `allOf` as a whole knows (it closes with `unevaluatedProperties`).
 */
export function closedSchema(value: unknown, resolveSchema: (schema: Schema) => Schema, open = false): unknown {
  if (!isPlainObject(value)) return value;
  const out: Schema = {};
  for (const [key, inner] of Object.entries(value)) {
    switch (key) {
      case "$ref": {
        const match = typeof inner === "string" ? /^#\/components\/schemas\/(.+)$/.exec(inner) : null;
        if (!match) throw new Error(`unsupported $ref ${String(inner)}`);
        out.$ref = `${open ? OPEN_ID : STRICT_ID}#/$defs/${match[1]}`;
        break;
      }
      case "properties":
      case "patternProperties":
      case "$defs":
        out[key] = mapValues(inner as Schema, (schema) => closedSchema(schema, resolveSchema));
        break;
      case "allOf":
        out[key] = (inner as unknown[]).map((schema) => closedSchema(schema, resolveSchema, true));
        break;
      case "anyOf":
      case "oneOf":
        // Alternatives: each is closed on its own (or left open with its parent). One without a type or a
        // reference constrains its parent's fields (exactly one of email and phone): closing it would refuse them.
        out[key] = (inner as unknown[]).map((schema) =>
          closedSchema(
            schema,
            resolveSchema,
            open || (isPlainObject(schema) && !("type" in schema) && !("$ref" in schema)),
          ),
        );
        break;
      case "prefixItems":
        out[key] = (inner as unknown[]).map((schema) => closedSchema(schema, resolveSchema));
        break;
      case "items":
      case "additionalProperties":
      case "unevaluatedProperties":
      case "propertyNames":
      case "contains":
        out[key] = closedSchema(inner, resolveSchema);
        break;
      case "not":
        // `not: {required: [...]}` (exactly one of two fields) holds no schema to close: kept as it is.
        if (isPlainObject(inner) && Object.keys(inner).every((name) => name === "required")) {
          out[key] = inner;
          break;
        }
        throw new Error(`"not" over a schema: teach test/contract/closed-schemas.ts how to close it first`);
      case "if":
      case "then":
      case "else":
      case "dependentSchemas":
        // Closing inside these would change what they accept (a closed `not` accepts more).
        throw new Error(`"${key}" in a schema: teach test/contract/closed-schemas.ts how to close it first`);
      default:
        out[key] = inner; // values (enum, const, example, default, required...), not schemas
    }
  }
  if (open || "additionalProperties" in value || "unevaluatedProperties" in value) return out;
  if (Array.isArray(value.allOf)) {
    // `unevaluatedProperties` needs a type beside it under strict ajv; the members' types are implied anyway.
    const memberTypes = new Set(value.allOf.flatMap((member: Schema) => typesOf(resolveSchema(member))));
    const types = [...new Set([...typesOf(value), ...memberTypes])];
    if (types.includes("object")) {
      if (typesOf(value).length === 0) out.type = types.length === 1 ? types[0] : types;
      out.unevaluatedProperties = false;
    }
  } else if (typesOf(value).includes("object") || "properties" in value) {
    out.additionalProperties = false;
  }
  return out;
}

/** The `x-` extension keywords a document's schemas and paths carry (annotations for ajv, not keywords). */
export function extensionKeywords(document: any): string[] {
  const found = new Set<string>();
  JSON.stringify([document.components?.schemas ?? {}, document.paths ?? {}], (key, inner) => {
    if (key.startsWith("x-")) found.add(key);
    return inner;
  });
  return [...found].sort();
}
