// The providers the mailbox plays: a Resend-compatible email API and a Twilio-compatible SMS API, with their
// error shapes. They check that credentials are sent, not which.
import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import { HttpError, header, readBody, sendJson } from "./http";
import { type ReceiptOutcome, sendReceipts } from "./receipts";
import type { MessageStore } from "./store";

export const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const PAUSED = { message: "mailbox paused" };

/** Where a provider keeps what it accepts; a paused provider answers 503 and keeps nothing. */
export interface Inbox {
  store: MessageStore;
  paused: boolean;
  /** Hears of the delivery receipts sent for an SMS with a StatusCallback (tests wait on it). */
  onReceipts?: (sid: string, outcomes: ReceiptOutcome[]) => void;
}

/** POST /emails, as Resend takes it. */
export async function receiveEmail(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { store, paused }: Inbox,
): Promise<void> {
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
    store.replayOf("email", key) ??
    store.keep({
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
export async function receiveSms(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { store, paused, onReceipts }: Inbox,
  accountSid: string,
): Promise<void> {
  if (paused) return sendJson(res, 503, PAUSED);
  const credentials = basicCredentials(req.headers.authorization);
  if (!credentials) {
    res.setHeader("www-authenticate", 'Basic realm="Twilio API"');
    return sendJson(res, 401, twilioError(401, 20003, "Authenticate"));
  }
  const form = new URLSearchParams(await readBody(req));
  const [from, to, text] = [form.get("From"), form.get("To"), form.get("Body")];
  if (!to) return sendJson(res, 400, twilioError(400, 21604, "A 'To' phone number is required."));
  if (!from) return sendJson(res, 400, twilioError(400, 21603, "A 'From' phone number is required."));
  if (!text) return sendJson(res, 400, twilioError(400, 21602, "Message body is required."));

  const key = header(req, "i-twilio-idempotency-token");
  const replayed = store.replayOf("sms", key);
  const message =
    replayed ??
    store.keep({
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
  // Like Twilio, a message (not a replay of one) reports its fate to the StatusCallback it was sent with.
  const callback = form.get("StatusCallback");
  if (callback && !replayed) {
    const sms = { sid: message.id, accountSid, from, to };
    void sendReceipts(callback, credentials.password, sms).then((outcomes) => onReceipts?.(message.id, outcomes));
  }
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

/** Any non-empty user and password will do: the mailbox only checks that the client sends credentials. */
function basicCredentials(authorization: string | undefined): { user: string; password: string } | null {
  const encoded = authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!encoded) return null;
  const [user = "", ...rest] = Buffer.from(encoded, "base64").toString("utf8").split(":");
  const password = rest.join(":");
  return user && password ? { user, password } : null;
}

const resendError = (statusCode: number, name: string, message: string) => ({ statusCode, name, message });
const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});
