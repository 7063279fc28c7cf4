// The mailbox's own pages: the list of what arrived, and one message with its text and (sandboxed) HTML parts.
import { type Html, html, linkify, page } from "./html";
import type { MailboxMessage } from "./store";

/** How often the list loads itself again, so a message the API just sent shows up without a click. */
export const HOME_REFRESH_SECONDS = 5;

export function homePage(messages: readonly MailboxMessage[], paused: boolean): Html {
  const rows = [...messages].reverse().map(
    (m) => html`<tr>
        <td><time datetime="${m.receivedAt}">${shortTime(m.receivedAt)}</time></td><td>${m.channel}</td>
        <td>${m.to.join(", ")}</td><td><a href="/messages/${encodeURIComponent(m.id)}">${summary(m)}</a></td></tr>`,
  );
  const provider = paused
    ? html`<strong class="warn">Provider paused</strong>: sends get 503 and nothing is stored.
          <form method="post" action="/resume"><button>Resume provider</button></form>`
    : html`Provider up.
          <form method="post" action="/pause"><button>Pause provider</button></form>`;
  return page(
    "Mailbox",
    html`<h1>Mailbox</h1>
      <div class="bar">${provider} <form method="post" action="/clear"><button>Clear</button></form>
        <span class="muted">Refreshes every ${HOME_REFRESH_SECONDS} s.</span></div>
      ${
        rows.length
          ? html`<table><thead><tr><th>Received (UTC)</th><th>Channel</th><th>To</th><th>Subject / text</th></tr></thead>
              <tbody>${rows}</tbody></table>`
          : html`<p class="muted">No messages yet.</p>`
      }`,
    HOME_REFRESH_SECONDS,
  );
}

/** One message; `asInvitee` is its invitation link with a dev token for the recipient, when it has one. */
export function messagePage(m: MailboxMessage, asInvitee: string | null = null): Html {
  const fields: [string, string | null][] = [
    ["Channel", m.channel],
    ["From", m.from],
    ["To", m.to.join(", ")],
    ["Subject", m.subject],
    ["Received", m.receivedAt],
    ["Id", m.id],
    ["Idempotency key", m.idempotencyKey],
  ];
  // The HTML part is the sender's markup: a sandboxed frame runs none of its scripts. Its links open in a new,
  // unsandboxed tab (allow-popups-to-escape-sandbox) so the landing page runs its script.
  const framed = m.html && `<base target="_blank">${m.html}`;
  return page(
    m.subject ?? `SMS to ${m.to.join(", ")}`,
    html`<p><a href="/">&larr; Mailbox</a></p><h1>${m.subject ?? "SMS"}</h1>
      <table>${fields.map(([name, value]) => html`<tr><th>${name}</th><td>${value ?? "—"}</td></tr>`)}</table>
      ${
        asInvitee
          ? html`<p><a href="${asInvitee}" target="_blank" rel="noreferrer">Open as the invitee</a>
            <span class="muted">(the API's landing page, signed in with a dev token for ${m.to[0] ?? "the recipient"})</span></p>`
          : ""
      }
      <h2>Text</h2><pre>${linkify(m.text)}</pre>
      ${framed ? html`<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${framed}"></iframe>` : ""}`,
  );
}

const shortTime = (iso: string) => iso.replace("T", " ").slice(0, 19);
const summary = (m: MailboxMessage) => m.subject || (m.text.length > 80 ? `${m.text.slice(0, 80)}…` : m.text) || "—";
