import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ZodType } from "zod";
import { base64url } from "./encoding";
import { CORS_RESPONSE_HEADER } from "./errors";
import type { AppEnv } from "./request";

/**
 * Public reference data (currencies, countries, delivery types) is cacheable: `Cache-Control: public`, a strong
 * ETag computed from the exact body, and 304 on a matching `If-None-Match`. Everything else stays `no-store`
 * (the guard sets it on authenticated routes, the error renderer on every error).
 */

// Tags of bodies that never change within an isolate (the ISO lists), computed once per object.
const tags = new WeakMap<object, Promise<string>>();

/** A strong entity tag of a JSON body: the SHA-256 of the text `c.json()` sends, base64url, quoted. */
export function entityTag(body: object): Promise<string> {
  let tag = tags.get(body);
  if (!tag) {
    tag = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(JSON.stringify(body)))
      .then((digest) => `"${base64url(new Uint8Array(digest))}"`);
    tags.set(body, tag);
  }
  return tag;
}

/**
 * Whether `If-None-Match` names this tag, by the weak comparison RFC 9110 §13.1.2 asks for (a `W/` prefix is
 * ignored): a list of tags, or `*` (any current representation). A malformed header matches nothing.
 */
export function noneMatchHits(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = tag.replace(/^W\//, "");
  for (const [, candidate] of header.matchAll(/(?:^|,)\s*(?:W\/)?("[^"]*")\s*(?=,|$)/g)) {
    if (candidate === opaque) return true;
  }
  return false;
}

/**
 * Sets the caching headers of a public body and tells whether the client's copy is current: then the handler
 * answers `c.body(null, 304)`, else `c.json(body, 200)`.
 */
export async function isNotModified(c: Context<AppEnv>, body: object, maxAgeSeconds: number): Promise<boolean> {
  const tag = await entityTag(body);
  c.header("ETag", tag);
  c.header("Cache-Control", `public, max-age=${maxAgeSeconds}`);
  return noneMatchHits(c.req.header("if-none-match"), tag);
}

/** The request header a cacheable route takes. */
export const ConditionalHeaders = z.object({
  "if-none-match": z
    .string()
    .max(4096)
    .regex(/^[\t\x20-\x7e]*$/, "must be printable ASCII")
    .optional()
    .openapi({
      description: "ETags of copies the client holds (or `*`): a match is answered 304 without a body.",
      example: '"3q2-7wVbKxSmgI8b0Wq6oQvE_GBCMuIJNvwSb1kqTcw"',
    }),
});

const CACHE_HEADERS = {
  ETag: {
    description: "A strong entity tag of this exact body; send it back in If-None-Match.",
    schema: { type: "string" as const, maxLength: 100, pattern: '^"[A-Za-z0-9_-]+"$' },
  },
  "Cache-Control": {
    description: "`public, max-age=…`: shared caches may keep it for that long.",
    schema: { type: "string" as const, maxLength: 100, pattern: "^public, max-age=[0-9]+$" },
  },
  "Access-Control-Allow-Origin": CORS_RESPONSE_HEADER,
};

/** The 200 (with its caching headers) and the 304 of a cacheable route. */
export function cachedResponses<T extends ZodType>(schema: T, description: string) {
  return {
    200: { description, headers: CACHE_HEADERS, content: { "application/json": { schema } } },
    304: {
      description: "Not modified: the copy named in If-None-Match is current (no body).",
      headers: CACHE_HEADERS,
    },
  };
}
