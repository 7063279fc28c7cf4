import { z } from "@hono/zod-openapi";
import { base64url, fromBase64url } from "./encoding";
import { ApiError } from "./errors";
import { integerParam } from "./params";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Where a list page starts and how long it is (the list routes' `cursor` and `limit`; an export's batches). */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

export const paginationQuery = {
  limit: integerParam({ min: 1, max: MAX_LIMIT })
    .default(DEFAULT_LIMIT)
    .openapi({
      type: "integer",
      format: "int32",
      minimum: 1,
      maximum: MAX_LIMIT,
      default: DEFAULT_LIMIT,
      description: `Items per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`,
    }),
  cursor: z.string().max(200).optional().openapi({ description: "Opaque cursor from `next_cursor`." }),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Keeps a leading byte-order mark, which JSON.parse refuses: a cursor is only what encodeCursor writes.
const CURSOR_TEXT = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** A sort key that orders rows before their id (a search rank): a finite number or a short string. */
export type SortKey = number | string;

/**
 * Cursors are opaque to clients: the id of the last row seen, base64url-encoded; for a list ordered by a key
 * before the id (ranked search), the last row's key too.
 */
export function encodeCursor(lastId: string, key?: SortKey): string {
  return base64url(JSON.stringify(key === undefined ? { after: lastId } : { after: lastId, key }));
}

/** The 400 for a cursor this API did not issue (or issued for another list). */
export const invalidCursor = () =>
  new ApiError("validation_error", "cursor: is not a cursor this API issued", {
    fields: { cursor: ["is invalid"] },
  });

function parseCursor(cursor: string): { after: string; key?: SortKey } {
  try {
    const decoded = JSON.parse(CURSOR_TEXT.decode(fromBase64url(cursor))) as { after?: unknown; key?: unknown };
    const key = decoded.key;
    const keyIsValid =
      key === undefined ||
      (typeof key === "number" && Number.isFinite(key)) ||
      (typeof key === "string" && key.length <= 100);
    if (typeof decoded.after === "string" && UUID.test(decoded.after) && keyIsValid) {
      return { after: decoded.after, ...(key !== undefined ? { key: key as SortKey } : {}) };
    }
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

/** The id after which an id-ordered list continues; a keyed cursor (of a ranked list) is not one of these: 400. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const parsed = parseCursor(cursor);
  if (parsed.key !== undefined) throw invalidCursor();
  return parsed.after;
}

/** Where a list ordered by (key, id) continues; a plain id cursor (of the unranked list) is not one of these: 400. */
export function decodeKeyedCursor(cursor: string | undefined): { after: string; key: SortKey } | undefined {
  if (cursor === undefined) return undefined;
  const parsed = parseCursor(cursor);
  if (parsed.key === undefined) throw invalidCursor();
  return { after: parsed.after, key: parsed.key };
}

/** Builds a list page from `limit + 1` fetched rows; `keyOf` for a list ordered by a key before the id. */
export function page<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  keyOf?: (row: Row) => SortKey,
) {
  const hasMore = rows.length > limit;
  const visible = hasMore ? rows.slice(0, limit) : rows;
  const last = visible.at(-1);
  return {
    object: "list" as const,
    data: visible.map(present),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor(last.id, keyOf?.(last)) : null,
  };
}

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal("list").openapi({ description: "Always `list`." }),
      data: z.array(item).max(MAX_LIMIT).openapi({ description: "This page's items, in the list's order." }),
      has_more: z.boolean().openapi({ description: "Whether another page follows." }),
      next_cursor: z
        .string()
        .max(200)
        .nullable()
        .openapi({ description: "Pass as `cursor` for the next page; null on the last." }),
    })
    .openapi(name);
}
