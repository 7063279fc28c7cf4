import { z } from "@hono/zod-openapi";
import { stringify } from "csv-stringify/sync";

export const EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_RESOURCES = [
  "members",
  "invitations",
  "programs",
  "opportunities",
  "payment-units",
  "audit-events",
] as const;
export type ExportResource = (typeof EXPORT_RESOURCES)[number];

/**
 * How long one file may get: past either bound the stream is broken off (the client sees an incomplete download,
 * never a short file that looks whole) and the audit event says `complete: false`. Narrow the filters.
 */
export const MAX_EXPORT_ROWS = 10_000_000;
export const MAX_EXPORT_BYTES = 2 ** 31 - 1;

/**
 * Rows a batch reads. Each batch is a round trip, but with the feed index in use they are cheap, and a bigger one
 * gains nothing measurable (bench, 200k audit events: 500 a batch 17k rows/s, 2000 16k rows/s; the heap's peak is
 * about 100 MB both ways, what V8 lets pile up before it collects).
 */
export const EXPORT_BATCH = 500;

export const exportFormat = z
  .enum(EXPORT_FORMATS)
  .default("csv")
  .openapi({
    description:
      "`csv` (RFC 4180, a header row, nested fields as dotted columns, lists as JSON in one cell), `json` (one " +
      "array of the list's items) or `ndjson` (one item per line).",
  });

/**
 * A streamed export's query: the list's filters and `format`, nothing else. A name it does not take is a 400
 * (`is not a known field`), as in a job's `filters`: a mistyped filter would otherwise export the whole list.
 */
export const exportQuery = <Shape extends z.ZodRawShape>(filters: Shape) =>
  z.strictObject({ ...filters, format: exportFormat });

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/**
 * The 200 of an export route: each format's media type, the file's rows as the list's items; `example`, an item
 * as the list shows it, makes the JSON file's example.
 */
export function exportContent(item: z.ZodType, example?: unknown) {
  return {
    "text/csv": {
      schema: z.string().max(MAX_EXPORT_BYTES).openapi({ description: "A header row, then one row per item." }),
    },
    "application/json": {
      schema: z.array(item).max(MAX_EXPORT_ROWS),
      ...(example === undefined ? {} : { example: [example] }),
    },
    "application/x-ndjson": {
      schema: z.string().max(MAX_EXPORT_BYTES).openapi({ description: "One JSON item per line." }),
    },
  };
}

/** The headers of an export's 200, beside the rate-limit ones every answer has. */
export const EXPORT_HEADERS = {
  "Content-Disposition": {
    description:
      '`attachment; filename="members-org_…-2026-12-01-1a2b3c4d.csv"`: the resource, organisation, day and export.',
    schema: {
      type: "string" as const,
      maxLength: 200,
      pattern: '^attachment; filename="[a-z-]+-org_[0-9a-z]{26}-[0-9-]{10}-[0-9a-z]{8}\\.(csv|json|ndjson)"$',
    },
  },
  "X-Export-Id": {
    description: "The export's id, as its `export.created` audit event names it.",
    schema: { type: "string" as const, maxLength: 40, pattern: "^exp_[0-7][0-9a-hjkmnp-tv-z]{25}$" },
  },
};

/** What every export route says of itself, after its own sentence. */
export const exportDescription = (list: string) =>
  `The same rows as ${list} with the same filters, the whole list as one file (no pages): streamed in batches ` +
  `of one consistent snapshot, up to ${MAX_EXPORT_ROWS.toLocaleString("en")} rows. Needs the \`export\` scope, the ` +
  "`exports:read` permission and a plan with `export`, and the list's own read rule. A query parameter it does " +
  "not take (the list's `limit` or `cursor`, say) is a 400 naming it. Each export is recorded in the audit trail " +
  "(`export.created`: resource, format, filters, rows).";

type Column = { header: string; path: string[] };

/** Unwraps optional, nullable, default and pipe layers down to the schema that holds the shape. */
function innermost(schema: z.ZodType): z.ZodType {
  let current = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; out?: z.ZodType } };
  for (let depth = 0; depth < 10; depth++) {
    const { def } = current;
    if (def.innerType && ["optional", "nullable", "default", "readonly", "catch"].includes(def.type)) {
      current = def.innerType as typeof current;
    } else if (def.type === "pipe" && def.out) {
      current = def.out as typeof current;
    } else break;
  }
  return current;
}

/** The CSV columns of an item: its fields in order, an object's fields as `parent.child`, anything else one cell. */
export function csvColumns(item: z.ZodType, path: string[] = []): Column[] {
  const schema = innermost(item);
  if (!(schema instanceof z.ZodObject)) return [{ header: path.join("."), path }];
  return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, field]) =>
    csvColumns(field, [...path, key]),
  );
}

function cell(item: unknown, path: string[]): unknown {
  let value = item;
  for (const key of path) value = (value as Record<string, unknown> | null | undefined)?.[key];
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : value;
}

/**
 * Writes one format a batch at a time. CSV by csv-stringify: RFC 4180 quoting, CRLF line ends, and a cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or CR) prefixed with `'`.
 */
export function encoderFor(format: ExportFormat, item: z.ZodType) {
  const columns = csvColumns(item);
  const options = { record_delimiter: "windows", escape_formulas: true, cast: { boolean: String } } as const;
  return {
    start: (): string =>
      format === "csv" ? stringify([columns.map((column) => column.header)], options) : format === "json" ? "[" : "",
    batch: (items: unknown[], first: boolean): string => {
      if (items.length === 0) return "";
      if (format === "csv") {
        return stringify(
          items.map((entry) => columns.map((column) => cell(entry, column.path))),
          options,
        );
      }
      if (format === "ndjson") return `${items.map((entry) => JSON.stringify(entry)).join("\n")}\n`;
      return `${first ? "\n" : ",\n"}${items.map((entry) => JSON.stringify(entry)).join(",\n")}`;
    },
    end: (rows: number): string => (format === "json" ? (rows === 0 ? "]\n" : "\n]\n") : ""),
  };
}
