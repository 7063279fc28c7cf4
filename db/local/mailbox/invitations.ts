// The invitation landing page that local invitation emails and SMS link to: it looks the code up through the API,
// and accepts or declines it as the person with the email (or verified phone) given (the mailbox mints their dev
// token).
import type http from "node:http";
import { type Html, html, page } from "./html";
import { readBody } from "./http";
import type { MessageStore } from "./store";

const API_TIMEOUT_MS = 10_000;

export interface InvitationOptions {
  /** The API's base URL; without it (or mintToken) the pages say the mailbox cannot reach an API. */
  apiUrl?: string;
  /** Mints a person's token for an email, or for a phone the token says is verified. */
  mintToken?: (who: Invitee) => Promise<string>;
  /** Where the invitation emails are, to fill in the invitee. */
  store: MessageStore;
}

/** Who answers: by email, or by phone (an SMS invitation). */
export type Invitee = { email: string; phone?: undefined } | { phone: string; email?: undefined };

export function invitationPages(options: InvitationOptions) {
  const apiUrl = options.apiUrl?.replace(/\/+$/, "");
  const { mintToken, store } = options;

  /** GET /invitations/{code}: what the API says about the invitation, and a form to accept or decline it. */
  async function invitationPage(code: string): Promise<Html> {
    if (!apiUrl || !mintToken) return notConfigured();
    const reply = await callApi("/v1/invitations:lookup", code);
    if (reply.status !== 200) return unanswerable(reply);
    const preview = reply.body as InvitationPreview;
    const expires = html`<p class="muted">Expires ${humanDate(preview.expires_at)}.</p>`;
    const about = preview.opportunity
      ? html`<h1>${preview.opportunity.name ?? "?"}</h1>
        <p>${preview.inviter?.name ?? "Someone"} invites you to work on it with ${preview.organisation?.name ?? "?"}.</p>${expires}`
      : html`<h1>Join ${preview.organisation?.name ?? "?"}</h1>
        <p>${preview.inviter?.name ?? "Someone"} invites you to join as <strong>${preview.role?.name ?? "?"}</strong>.</p>${expires}`;
    const target = `/invitations/${encodeURIComponent(code)}`;
    const who = invitee(code);
    const field =
      who.channel === "sms"
        ? html`<label>Your phone <input type="tel" name="phone" value="${who.address}" required size="20"></label>`
        : html`<label>Your email <input type="email" name="email" value="${who.address}" required size="32"></label>`;
    return page(
      "Invitation",
      html`${about}
      <form method="post" action="${target}/accept">
        ${field}
        <button formaction="${target}/accept">Accept</button> <button formaction="${target}/decline">Decline</button>
      </form>
      <p class="muted">The mailbox signs a dev token for that ${who.channel === "sms" ? "(verified) phone" : "email"} and calls the API at ${apiUrl}.</p>
      <p><a href="/">Mailbox</a></p>`,
    );
  }

  /**
   * An invitation that cannot be answered, without the buttons. The lookup says 404 alike for a code that is
   * wrong and one already accepted, declined, cancelled or expired (it tells a code's holder nothing more).
   */
  function unanswerable(reply: ApiReply): Html {
    const why =
      reply.status === 404
        ? html`<p>This invitation can no longer be answered: it has already been accepted or declined, it was
          cancelled, or it has expired (or the link is not a whole invitation link). Ask whoever invited you to send
          a new one.</p>`
        : html`<p class="warn">The API answered ${reply.status || "nothing"}: ${apiError(reply)}</p>`;
    return page("Invitation", html`<h1>Invitation</h1>${why}<p><a href="/">Mailbox</a></p>`);
  }

  /** POST /invitations/{code}/accept|decline: the API call as the person with that email, and its answer. */
  async function answerInvitation(req: http.IncomingMessage, code: string, action: string): Promise<Html> {
    const form = new URLSearchParams(await readBody(req));
    const email = form.get("email")?.trim() ?? "";
    const phone = form.get("phone")?.replace(/[\s()-]/g, "") ?? "";
    if (!apiUrl || !mintToken) return notConfigured();
    const back = html`<p><a href="/invitations/${encodeURIComponent(code)}">Back to the invitation</a> ·
      <a href="/">Mailbox</a></p>`;
    if (!email && !phone)
      return page("Invitation", html`<p class="warn">Enter an email address or a phone.</p>${back}`);
    const who: Invitee = email ? { email } : { phone };
    const reply = await callApi(`/v1/invitations:${action}`, code, await mintToken(who));
    const shown = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body, null, 2);
    return page(
      `Invitation ${action}`,
      html`<h1>${action === "accept" ? "Accept" : "Decline"} as ${email || phone}</h1>
      <p>POST ${apiUrl}/v1/invitations:${action} → <strong>${reply.status || "no answer"}</strong></p>
      <pre>${reply.failure ?? shown}</pre>${back}`,
    );
  }

  /** The invitee, when the invitation (the newest email or SMS holding the code) is in the mailbox. */
  function invitee(code: string): { channel: "email" | "sms"; address: string } {
    const message = store.all().findLast((m) => m.text.includes(code) || m.html?.includes(code));
    const to = message?.to[0] ?? "";
    return { channel: message?.channel ?? "email", address: to.match(/<([^>]+)>/)?.[1] ?? to }; // "Name <a@b>" → a@b
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

  return { invitationPage, answerInvitation };
}

interface ApiReply {
  status: number;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  failure?: string;
}

interface InvitationPreview {
  organisation?: { name?: string };
  inviter?: { name?: string };
  role?: { name?: string } | null;
  opportunity?: { name?: string } | null;
  expires_at?: string;
}

/** `Wednesday, 16 December 2026 at 14:30 UTC (in 14 days)`: what a person reads, from the API's ISO timestamp. */
export function humanDate(iso: string | undefined, now = new Date()): string {
  const when = iso ? new Date(iso) : null;
  if (!when || Number.isNaN(when.getTime())) return "at a time the API did not say";
  const day = new Intl.DateTimeFormat("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
  }).format(when);
  const hours = (when.getTime() - now.getTime()) / 3_600_000;
  const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const distance =
    Math.abs(hours) < 48 ? relative.format(Math.round(hours), "hour") : relative.format(Math.round(hours / 24), "day");
  return `${day} UTC (${distance})`;
}

function apiError(reply: ApiReply): string {
  if (reply.failure) return reply.failure;
  const error = (reply.body as { error?: { code?: string; message?: string } } | null)?.error;
  if (error?.message) return error.code ? `${error.message} (${error.code})` : error.message;
  return typeof reply.body === "string" ? reply.body.slice(0, 300) : JSON.stringify(reply.body);
}
