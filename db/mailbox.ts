// The dev mailbox: a small node:http server that plays the email provider (a Resend-compatible API) and the SMS
// provider (a Twilio-compatible API) for `npm run dev` and the tests, keeps what it receives and shows it on a page.
// It also hosts the invitation landing page that local invitation emails link to. Node-only code; works offline.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface MailboxMessage {
  id: string;
  channel: "email" | "sms";
  from: string;
  to: string[];
  subject: string | null;
  text: string;
  html: string | null;
  idempotencyKey: string | null;
  receivedAt: string;
}

export interface Mailbox {
  /** e.g. http://127.0.0.1:8025 — the EMAIL_PROVIDER_URL and SMS_PROVIDER_URL to give the Worker. */
  url: string;
  /** Newest last. */
  messages(): MailboxMessage[];
  pause(): void;
  resume(): void;
  paused(): boolean;
  clear(): void;
  close(): Promise<void>;
}

export interface MailboxOptions {
  /** 0 = any free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist messages as JSON here (dev keeps them across runs); omitted = memory only. */
  storeFile?: string;
  /** For the invitation landing page: the API's base URL and a function that mints a person's token for an email. */
  apiUrl?: string;
  mintToken?: (email: string) => Promise<string>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const API_TIMEOUT_MS = 10_000;
const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const PAUSED = { message: "mailbox paused" };

/** A JSON refusal decided deep inside a handler. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export async function startMailbox(options: MailboxOptions): Promise<Mailbox> {
  const host = options.host ?? "127.0.0.1";
  const apiUrl = options.apiUrl?.replace(/\/+$/, "");
  const { mintToken, storeFile } = options;
  let messages: MailboxMessage[] = storeFile ? loadMessages(storeFile) : [];
  let paused = false;

  function keep(message: MailboxMessage): MailboxMessage {
    messages.push(message);
    if (storeFile) saveMessages(storeFile, messages);
    return message;
  }
  function clear(): void {
    messages = [];
    if (storeFile) saveMessages(storeFile, messages);
  }
  /** Idempotency keys live on the stored messages, so a replay is recognised across restarts too. */
  const replayOf = (channel: MailboxMessage["channel"], key: string | null) =>
    key ? messages.find((m) => m.channel === channel && m.idempotencyKey === key) : undefined;

  // --- the providers -------------------------------------------------------------------------------------------

  /** POST /emails, as Resend takes it. */
  async function receiveEmail(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (paused) return sendJson(res, 503, PAUSED);
    if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? "")) {
      return sendJson(res, 401, resendError(401, "missing_api_key", "Missing API key in the authorization header"));
    }
    const body = parseJsonObject(await readBody(req));
    const to = typeof body.to === "string" ? [body.to] : body.to;
    const invalid =
      typeof body.from !== "string" || !body.from.trim()
        ? "Missing `from` field."
        : !Array.isArray(to) || to.length === 0 || !to.every((t) => typeof t === "string" && t.trim())
          ? "Missing `to` field."
          : typeof body.subject !== "string"
            ? "Missing `subject` field."
            : [body.text, body.html].some((part) => part !== undefined && part !== null && typeof part !== "string")
              ? "`text` and `html` must be strings."
              : null;
    if (invalid) return sendJson(res, 422, resendError(422, "validation_error", invalid));

    const key = header(req, "idempotency-key");
    const message =
      replayOf("email", key) ??
      keep({
        id: randomUUID(),
        channel: "email",
        from: body.from as string,
        to: to as string[],
        subject: body.subject as string,
        text: typeof body.text === "string" ? body.text : "",
        html: typeof body.html === "string" ? body.html : null,
        idempotencyKey: key,
        receivedAt: new Date().toISOString(),
      });
    sendJson(res, 200, { id: message.id });
  }

  /** POST /2010-04-01/Accounts/{sid}/Messages.json, as Twilio takes it. */
  async function receiveSms(req: http.IncomingMessage, res: http.ServerResponse, accountSid: string): Promise<void> {
    if (paused) return sendJson(res, 503, PAUSED);
    if (!basicCredentials(req.headers.authorization)) {
      res.setHeader("www-authenticate", 'Basic realm="Twilio API"');
      return sendJson(res, 401, twilioError(401, 20003, "Authenticate"));
    }
    const form = new URLSearchParams(await readBody(req));
    const [from, to, text] = [form.get("From"), form.get("To"), form.get("Body")];
    if (!to) return sendJson(res, 400, twilioError(400, 21604, "A 'To' phone number is required."));
    if (!from) return sendJson(res, 400, twilioError(400, 21603, "A 'From' phone number is required."));
    if (!text) return sendJson(res, 400, twilioError(400, 21602, "Message body is required."));

    const key = header(req, "i-twilio-idempotency-token");
    const message =
      replayOf("sms", key) ??
      keep({
        id: `SM${randomBytes(16).toString("hex")}`,
        channel: "sms",
        from,
        to: [to],
        subject: null,
        text,
        html: null,
        idempotencyKey: key,
        receivedAt: new Date().toISOString(),
      });
    sendJson(res, 201, {
      sid: message.id,
      account_sid: accountSid,
      status: "queued",
      to: message.to[0],
      from: message.from,
      body: message.text,
      date_created: new Date(message.receivedAt).toUTCString(),
    });
  }

  // --- the pages -----------------------------------------------------------------------------------------------

  function homePage(): Html {
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
      <div class="bar">${provider} <form method="post" action="/clear"><button>Clear</button></form> <a href="/">Refresh</a></div>
      ${
        rows.length
          ? html`<table><thead><tr><th>Received (UTC)</th><th>Channel</th><th>To</th><th>Subject / text</th></tr></thead>
              <tbody>${rows}</tbody></table>`
          : html`<p class="muted">No messages yet.</p>`
      }`,
    );
  }

  function messagePage(m: MailboxMessage): Html {
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
    // unsandboxed tab (allow-popups-to-escape-sandbox) so the invitation link's page can post its form.
    const framed = m.html && `<base target="_blank">${m.html}`;
    return page(
      m.subject ?? `SMS to ${m.to.join(", ")}`,
      html`<p><a href="/">&larr; Mailbox</a></p><h1>${m.subject ?? "SMS"}</h1>
      <table>${fields.map(([name, value]) => html`<tr><th>${name}</th><td>${value ?? "—"}</td></tr>`)}</table>
      <h2>Text</h2><pre>${linkify(m.text)}</pre>
      ${framed ? html`<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${framed}"></iframe>` : ""}`,
    );
  }

  /** GET /invitations/{code}: what the API says about the invitation, and a form to accept or decline it. */
  async function invitationPage(code: string): Promise<Html> {
    if (!apiUrl || !mintToken) return notConfigured();
    const reply = await callApi("/v1/invitations:lookup", code);
    let about: Html;
    if (reply.status === 200) {
      const preview = reply.body as InvitationPreview;
      about = html`<h1>Join ${preview.organisation?.name ?? "?"}</h1>
        <p>${preview.inviter?.name ?? "Someone"} invites you to join as <strong>${preview.role?.name ?? "?"}</strong>.</p>
        <p class="muted">Expires ${preview.expires_at ?? "?"}</p>`;
    } else {
      about = html`<h1>Invitation</h1><p class="warn">The API answered ${reply.status || "nothing"}: ${apiError(reply)}</p>`;
    }
    const target = `/invitations/${encodeURIComponent(code)}`;
    return page(
      "Invitation",
      html`${about}
      <form method="post" action="${target}/accept">
        <label>Your email <input type="email" name="email" value="${invitee(code)}" required size="32"></label>
        <button formaction="${target}/accept">Accept</button> <button formaction="${target}/decline">Decline</button>
      </form>
      <p class="muted">The mailbox signs a dev token for that email and calls the API at ${apiUrl}.</p>
      <p><a href="/">Mailbox</a></p>`,
    );
  }

  /** POST /invitations/{code}/accept|decline: the API call as the person with that email, and its answer. */
  async function answerInvitation(req: http.IncomingMessage, code: string, action: string): Promise<Html> {
    const email = new URLSearchParams(await readBody(req)).get("email")?.trim() ?? "";
    if (!apiUrl || !mintToken) return notConfigured();
    const back = html`<p><a href="/invitations/${encodeURIComponent(code)}">Back to the invitation</a> ·
      <a href="/">Mailbox</a></p>`;
    if (!email) return page("Invitation", html`<p class="warn">Enter an email address.</p>${back}`);
    const reply = await callApi(`/v1/invitations:${action}`, code, await mintToken(email));
    const shown = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body, null, 2);
    return page(
      `Invitation ${action}`,
      html`<h1>${action === "accept" ? "Accept" : "Decline"} as ${email}</h1>
      <p>POST ${apiUrl}/v1/invitations:${action} → <strong>${reply.status || "no answer"}</strong></p>
      <pre>${reply.failure ?? shown}</pre>${back}`,
    );
  }

  /** The invitee, when the invitation email (the newest holding the code) is in the mailbox. */
  function invitee(code: string): string {
    const email = messages.findLast((m) => m.channel === "email" && (m.text.includes(code) || m.html?.includes(code)));
    const to = email?.to[0] ?? "";
    return to.match(/<([^>]+)>/)?.[1] ?? to; // "Name <a@b>" → a@b
  }

  async function callApi(pathname: string, code: string, token?: string): Promise<ApiReply> {
    try {
      const response = await fetch(`${apiUrl}${pathname}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ code }),
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        return { status: response.status, body: text };
      }
    } catch (error) {
      // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED when the API is not running).
      const { message, cause } = error as Error & { cause?: Error };
      return { status: 0, body: null, failure: `could not reach ${apiUrl}: ${cause?.message ?? message}` };
    }
  }

  const notConfigured = () =>
    page(
      "Invitation",
      html`<h1>Invitation</h1><p class="warn">This mailbox was started without an API (apiUrl and mintToken), so it
      cannot look up, accept or decline invitations.</p><p><a href="/">Mailbox</a></p>`,
    );

  // --- routing -------------------------------------------------------------------------------------------------

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://mailbox.invalid");
    const method = req.method ?? "GET";
    const sms = pathname.match(TWILIO_PATH);
    const invitation = pathname.match(/^\/invitations\/([^/]+)(?:\/(accept|decline))?$/);
    const shown = pathname.match(/^\/messages\/([^/]+)$/);

    // Provider calls carry credentials a browser form cannot; the page's own state changes must come from the page.
    if (method === "POST" && pathname !== "/emails" && !sms && crossSite(req)) {
      return sendText(res, 403, "cross-site request refused");
    }
    if (method === "POST" && pathname === "/emails") return receiveEmail(req, res);
    if (method === "POST" && sms) return receiveSms(req, res, decode(sms[1]));
    if (method === "GET" && pathname === "/healthz") return sendText(res, 200, "ok");
    if (method === "GET" && pathname === "/") return sendHtml(res, 200, homePage());
    if (method === "GET" && shown) {
      const message = messages.find((m) => m.id === decode(shown[1]));
      return message ? sendHtml(res, 200, messagePage(message)) : sendText(res, 404, "no such message");
    }
    if (method === "GET" && pathname === "/api/messages") return sendJson(res, 200, { paused, messages });
    const control = pathname.match(/^(\/api)?\/(pause|resume|clear)$/);
    if (method === "POST" && control) {
      if (control[2] === "clear") clear();
      else paused = control[2] === "pause";
      // The JSON API answers 204; the page's forms go back to the page.
      if (control[1]) return void res.writeHead(204).end();
      return void res.writeHead(303, { location: "/" }).end();
    }
    if (invitation) {
      const code = decode(invitation[1]);
      const action = invitation[2];
      if (method === "GET" && !action) return sendHtml(res, 200, await invitationPage(code));
      if (method === "POST" && action) return sendHtml(res, 200, await answerInvitation(req, code, action));
    }
    sendJson(res, 404, { message: `no route for ${method} ${pathname}` });
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) console.error("[mailbox]", error);
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) sendJson(res, error.status, error.body);
      else sendJson(res, 500, { message: "mailbox error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    messages: () => messages.map((m) => ({ ...m, to: [...m.to] })),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    paused: () => paused,
    clear,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      });
      return closing;
    },
  };
}

// --- storage -------------------------------------------------------------------------------------------------------

function loadMessages(file: string): MailboxMessage[] {
  if (!existsSync(file)) return [];
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { messages?: unknown };
    if (Array.isArray(stored.messages)) return stored.messages as MailboxMessage[];
  } catch {
    // fall through: dev mail is not worth refusing to start over
  }
  console.warn(`[mailbox] ${file} is not a mailbox store; starting empty (it is overwritten on the next message)`);
  return [];
}

/** Written to a temporary file and renamed, so Ctrl-C mid-write never leaves half a store. */
function saveMessages(file: string, messages: MailboxMessage[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify({ messages }, null, 2), { mode: 0o600 });
  renameSync(temporary, file);
}

// --- HTTP helpers --------------------------------------------------------------------------------------------------

interface ApiReply {
  status: number;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  failure?: string;
}

interface InvitationPreview {
  organisation?: { name?: string };
  inviter?: { name?: string };
  role?: { name?: string };
  expires_at?: string;
}

function apiError(reply: ApiReply): string {
  if (reply.failure) return reply.failure;
  const error = (reply.body as { error?: { code?: string; message?: string } } | null)?.error;
  if (error?.message) return error.code ? `${error.message} (${error.code})` : error.message;
  return typeof reply.body === "string" ? reply.body.slice(0, 300) : JSON.stringify(reply.body);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: "request body too large" });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, resendError(400, "invalid_json", "The body must be a JSON object."));
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || null;
}

/** Any non-empty user and password will do: the mailbox only checks that the client sends credentials. */
function basicCredentials(authorization: string | undefined): boolean {
  const encoded = authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!encoded) return false;
  const [user, ...password] = Buffer.from(encoded, "base64").toString("utf8").split(":");
  return Boolean(user) && Boolean(password.join(":"));
}

/** A browser says where a form was posted from; refuse pages of other sites posting to the mailbox. */
function crossSite(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && origin !== `http://${req.headers.host}`;
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    throw new HttpError(400, { message: "malformed path" });
  }
}

const resendError = (statusCode: number, name: string, message: string) => ({ statusCode, name, message });
const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, body: Html): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // No scripts anywhere, nothing fetched from elsewhere except an email's own images; forms post only here.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'self'",
    "x-content-type-options": "nosniff",
  });
  res.end(body.value);
}

// --- HTML ----------------------------------------------------------------------------------------------------------

/** Markup built by `html`; anything interpolated that is not already Html is escaped (stored text is user input). */
class Html {
  constructor(readonly value: string) {}
}

function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
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
function linkify(text: string): Html {
  const parts: Html[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)]/g)) {
    parts.push(html`${text.slice(last, match.index)}<a href="${match[0]}">${match[0]}</a>`);
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

const shortTime = (iso: string) => iso.replace("T", " ").slice(0, 19);
const summary = (m: MailboxMessage) => m.subject || (m.text.length > 80 ? `${m.text.slice(0, 80)}…` : m.text) || "—";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:64rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f5f5f5;padding:.75rem;border-radius:4px}
iframe{width:100%;height:32rem;border:1px solid #ccc}form{display:inline}button{font:inherit;padding:.25rem .75rem}
.warn{color:#a00}.muted{color:#777}.bar{margin:1rem 0}`;

function page(title: string, body: Html): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Muster mailbox</title>
<style>${new Html(STYLE)}</style></head><body>${body}</body></html>`;
}
