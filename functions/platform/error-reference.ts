import { ERROR_GUIDE, ERROR_STATUS, type ErrorCode } from "./errors";

export const ERROR_REFERENCE_PATH = "/docs/errors";

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Where an error body sends its reader: the code's row of the reference page. */
export const errorDocUrl = (origin: string, code: ErrorCode) => `${origin}${ERROR_REFERENCE_PATH}#${code}`;

/**
 * The reference as a Markdown list, for the document's introduction (so `/docs` shows it too): a list, since a
 * viewer's narrow column squeezes a four-column table's code and status to a letter a line.
 */
export function errorReferenceMarkdown(): string {
  return CODES.map(
    (code) =>
      `- **\`${code}\`** (${ERROR_STATUS[code]}): ${ERROR_GUIDE[code].when}. *What to do:* ${ERROR_GUIDE[code].fix}`,
  ).join("\n");
}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
/** The guide's `code` spans as HTML. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The reference page: one row per code, each with its own anchor (`#quota_exceeded`). */
export function errorReferenceHtml(): string {
  const rows = CODES.map(
    (code) =>
      `<tr id="${code}"><td><a href="#${code}"><code>${code}</code></a></td><td>${ERROR_STATUS[code]}</td>` +
      `<td>${inline(ERROR_GUIDE[code].when)}</td><td>${inline(ERROR_GUIDE[code].fix)}</td></tr>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Muster API: error codes</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }
      table { border-collapse: collapse; width: 100%; }
      th, td { border-bottom: 1px solid #ddd; padding: .5rem; text-align: left; vertical-align: top; }
      tr:target { background: #fff6d5; }
      code { font-size: .9em; }
    </style>
  </head>
  <body>
    <h1>Error codes</h1>
    <p>Every error has one envelope: <code>{"error": {"code", "message", "fields"?, "request_id", "doc_url", …}}</code>.
    <code>doc_url</code> links to the code's row below. The <a href="/docs">API reference</a> lists each operation's errors.</p>
    <table>
      <thead><tr><th>code</th><th>status</th><th>when</th><th>what to do</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
  </body>
</html>`;
}
