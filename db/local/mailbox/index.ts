// The dev mailbox: a small node:http server that plays the email provider (a Resend-compatible API) and the SMS
// provider (a Twilio-compatible API) for `npm run dev` and the tests, keeps what it receives and shows it on a page.
// Invitation messages link to the API's landing page; the mailbox adds a link that opens it signed in as the
// recipient. Node-only code; works offline. This file is the server and its routes; the providers, the pages, the
// invitee's link, the message store and the HTTP helpers are the files beside it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { crossSite, decode, HttpError, sendHtml, sendJson, sendText } from "./http";
import { inviteeLink, type MintToken } from "./invitee";
import { homePage, messagePage } from "./pages";
import { type Inbox, receiveEmail, receiveSms, TWILIO_PATH } from "./providers";
import { type MailboxMessage, MessageStore } from "./store";

export type { MailboxMessage };

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
  /** Mints a person's dev token (for an email, or a phone it says is verified), for "Open as the invitee". */
  mintToken?: MintToken;
  /** Hears of the delivery receipts the mailbox sent for an SMS (to its StatusCallback). */
  onReceipts?: Inbox["onReceipts"];
}

export async function startMailbox(options: MailboxOptions): Promise<Mailbox> {
  const host = options.host ?? "127.0.0.1";
  const store = new MessageStore(options.storeFile);
  let paused = false;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://mailbox.invalid");
    const method = req.method ?? "GET";
    const sms = pathname.match(TWILIO_PATH);
    const shown = pathname.match(/^\/messages\/([^/]+)$/);

    // Provider calls carry credentials a browser form cannot; the page's own state changes must come from the page.
    if (method === "POST" && pathname !== "/emails" && !sms && crossSite(req)) {
      return sendText(res, 403, "cross-site request refused");
    }
    if (method === "POST" && pathname === "/emails") return receiveEmail(req, res, { store, paused });
    if (method === "POST" && sms)
      return receiveSms(req, res, { store, paused, onReceipts: options.onReceipts }, decode(sms[1]));
    if (method === "GET" && pathname === "/healthz") return sendText(res, 200, "ok");
    if (method === "GET" && pathname === "/") return sendHtml(res, 200, homePage(store.all(), paused));
    if (method === "GET" && shown) {
      const message = store.all().find((m) => m.id === decode(shown[1]));
      if (!message) return sendText(res, 404, "no such message");
      return sendHtml(res, 200, messagePage(message, await inviteeLink(message, options.mintToken)));
    }
    if (method === "GET" && pathname === "/api/messages") return sendJson(res, 200, { paused, messages: store.all() });
    const control = pathname.match(/^(\/api)?\/(pause|resume|clear)$/);
    if (method === "POST" && control) {
      if (control[2] === "clear") store.clear();
      else paused = control[2] === "pause";
      // The JSON API answers 204; the page's forms go back to the page.
      if (control[1]) return void res.writeHead(204).end();
      return void res.writeHead(303, { location: "/" }).end();
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
    messages: () => store.all().map((m) => ({ ...m, to: [...m.to] })),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    paused: () => paused,
    clear: () => store.clear(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      });
      return closing;
    },
  };
}
