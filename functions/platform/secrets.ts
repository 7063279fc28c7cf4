import type { z } from "@hono/zod-openapi";
import { base64url } from "./encoding";

/** Random secrets (256 bits) and their stored form. A SHA-256 digest suffices for secrets this long. */
export function generateSecret(prefix = ""): string {
  return `${prefix}${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares two digests in time that does not depend on where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * The one rule for what is secret: a response field declared with `secretFields`. Secrets are shown once, so
 * an idempotent replay carries everything but them, and the audit trail records only that they changed.
 */
const SECRET_SCHEMAS = new WeakSet<z.ZodType>();
const SECRET_FIELD_NAMES = new Set<string>();
export const SHOWN_ONCE = "[shown once: not replayed]";
export const REDACTED = "[redacted]";

export function secretFields<Shape extends Record<string, z.ZodType>>(shape: Shape): Shape {
  const marked: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const secret = schema.openapi({ "x-secret": true } as never);
    SECRET_SCHEMAS.add(secret);
    SECRET_FIELD_NAMES.add(name);
    marked[name] = secret;
  }
  return marked as Shape;
}

export const isSecretField = (name: string): boolean => SECRET_FIELD_NAMES.has(name);

/** Where a response's secrets sit: `true` for a secret field, a subtree for an object or array holding some. */
export type SecretMap = true | { [key: string]: SecretMap };

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
};

function merge(a: SecretMap | null, b: SecretMap | null): SecretMap | null {
  if (a === null || b === null) return a ?? b;
  if (a === true || b === true) return true;
  const out: Record<string, SecretMap> = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = merge(out[key] ?? null, value) as SecretMap;
  return out;
}

/** The secret fields a schema declares, found by walking it (null: none). */
export function secretMapOf(schema: z.ZodType | undefined, depth = 0): SecretMap | null {
  if (!schema || depth > 20) return null;
  if (SECRET_SCHEMAS.has(schema)) return true;
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case "object": {
      let map: Record<string, SecretMap> | null = null;
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const inner = secretMapOf(field, depth + 1);
        if (inner !== null) map = { ...(map ?? {}), [key]: inner };
      }
      return map;
    }
    case "array":
      return secretMapOf(def.element, depth + 1);
    case "union":
      return (def.options ?? []).reduce<SecretMap | null>(
        (acc, option) => merge(acc, secretMapOf(option, depth + 1)),
        null,
      );
    case "pipe":
      return merge(secretMapOf(def.in, depth + 1), secretMapOf(def.out, depth + 1));
    default:
      return secretMapOf(def.innerType, depth + 1);
  }
}

/** A JSON value with the secrets the map names replaced by `replacement` (arrays are walked element-wise). */
export function withoutSecrets(value: unknown, map: SecretMap | null, replacement = SHOWN_ONCE): unknown {
  if (map === null || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, map, replacement));
  if (map === true) return replacement;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const inner = map[key] ?? null;
    out[key] = inner === true ? (field == null ? field : replacement) : withoutSecrets(field, inner, replacement);
  }
  return out;
}
