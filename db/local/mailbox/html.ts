// Markup for the mailbox's pages: interpolated values are escaped unless they are markup themselves.

/** Markup built by `html`; anything interpolated that is not already Html is escaped (stored text is user input). */
export class Html {
  constructor(readonly value: string) {}
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, text, i) => out + renderValue(values[i - 1]) + text));
}

function renderValue(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join("");
  return value === null || value === undefined ? "" : escapeHtml(String(value));
}

/** Safe in text and in quoted attribute values (srcdoc included). */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The text part with its http(s) links clickable (the invitation link is one); everything else escaped. */
export function linkify(text: string): Html {
  const parts: Html[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)]/g)) {
    parts.push(html`${text.slice(last, match.index)}<a href="${match[0]}">${match[0]}</a>`);
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

/** Every page's style sheet: inline, since the pages' content security policy fetches nothing. */
const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:64rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f5f5f5;padding:.75rem;border-radius:4px}
iframe{width:100%;height:32rem;border:1px solid #ccc}form{display:inline}button{font:inherit;padding:.25rem .75rem}
.warn{color:#a00}.muted{color:#777}.bar{margin:1rem 0}`;

/** A whole page; `refreshSeconds` has the browser load it again that often (the list, so new messages show up). */
export function page(title: string, body: Html, refreshSeconds?: number): Html {
  const refresh = refreshSeconds ? html`<meta http-equiv="refresh" content="${refreshSeconds}">` : "";
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Muster mailbox</title>
<style>${new Html(STYLE)}</style></head><body>${body}</body></html>`;
}
