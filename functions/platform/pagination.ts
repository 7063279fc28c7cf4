import { z } from "@hono/zod-openapi";
import { base64url, fromBase64url } from "./encoding";
import { ApiError } from "./errors";
import { integerParam } from "./params";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export const paginationQuery = {
  limit: integerParam({ min: 1, max: MAX_LIMIT })
    .default(DEFAULT_LIMIT)
    .openapi({ type: "integer", format: "int32", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
  cursor: z.string().max(200).optional().openapi({ description: "Opaque cursor from `next_cursor`." }),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Keeps a leading byte-order mark, which JSON.parse refuses: a cursor is only what encodeCursor writes.
const CURSOR_TEXT = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Cursors are opaque to clients: the id of the last row seen, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return base64url(JSON.stringify({ after: lastId }));
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(CURSOR_TEXT.decode(fromBase64url(cursor))) as { after?: unknown };
    if (typeof decoded.after === "string" && UUID.test(decoded.after)) return decoded.after;
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError("validation_error", "cursor: is not a cursor this API issued", {
    fields: { cursor: ["is invalid"] },
  });
}

/** Builds a list page from `limit + 1` fetched rows. */
export function page<Row extends { id: string }, Item>(rows: Row[], limit: number, present: (row: Row) => Item) {
  const hasMore = rows.length > limit;
  const visible = hasMore ? rows.slice(0, limit) : rows;
  const last = visible.at(-1);
  return {
    object: "list" as const,
    data: visible.map(present),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor(last.id) : null,
  };
}

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal("list"),
      data: z.array(item).max(MAX_LIMIT),
      has_more: z.boolean(),
      next_cursor: z.string().max(200).nullable(),
    })
    .openapi(name);
}
