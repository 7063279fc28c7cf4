import type { OutboxMessage } from "../../schema";
import { configOf } from "./config";
import type { Env } from "./env";

export type SendResult =
  | { ok: true; providerMessageId: string | null }
  | { ok: false; retryable: boolean; error: string };

const TIMEOUT_MS = 10_000;

/** 5xx, 408, 429 and network failures may pass; any other refusal will not pass by retrying. */
function refusal(status: number, body: string): SendResult {
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, retryable, error: `provider answered ${status}: ${body.slice(0, 300)}` };
}

/** A 2xx is a delivery whatever its body says; the provider's id is kept when the body holds one. */
function idIn(body: string, field: "id" | "sid"): string | null {
  try {
    const value = (JSON.parse(body) as Record<string, unknown> | null)?.[field];
    return typeof value === "string" ? value.slice(0, 200) : null;
  } catch {
    return null;
  }
}

async function post(url: string, init: RequestInit): Promise<Response | SendResult> {
  try {
    return await fetch(url, { ...init, method: "POST", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return { ok: false, retryable: true, error: `provider unreachable: ${String((error as Error)?.message ?? error)}` };
  }
}

/** Email through a Resend-compatible API; the outbox id is the idempotency key, so a retry never sends twice. */
async function sendEmail(env: Env, message: OutboxMessage): Promise<SendResult> {
  const config = configOf(env);
  if (!config.EMAIL_PROVIDER_URL) return { ok: false, retryable: false, error: "EMAIL_PROVIDER_URL is not configured" };
  const response = await post(`${config.EMAIL_PROVIDER_URL.replace(/\/$/, "")}/emails`, {
    headers: {
      authorization: `Bearer ${config.EMAIL_API_KEY ?? ""}`,
      "content-type": "application/json",
      "idempotency-key": message.id,
    },
    body: JSON.stringify({
      from: config.EMAIL_FROM,
      to: [message.recipient],
      subject: message.subject ?? "",
      text: message.textBody,
      html: message.htmlBody ?? undefined,
    }),
  });
  if (!(response instanceof Response)) return response;
  const body = await response.text();
  if (!response.ok) return refusal(response.status, body);
  return { ok: true, providerMessageId: idIn(body, "id") };
}

/** SMS through a Twilio-compatible API. */
async function sendSms(env: Env, message: OutboxMessage): Promise<SendResult> {
  const config = configOf(env);
  if (!config.SMS_PROVIDER_URL || !config.SMS_ACCOUNT_SID) {
    return { ok: false, retryable: false, error: "SMS_PROVIDER_URL / SMS_ACCOUNT_SID are not configured" };
  }
  const url = `${config.SMS_PROVIDER_URL.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.SMS_ACCOUNT_SID)}/Messages.json`;
  const response = await post(url, {
    headers: {
      authorization: `Basic ${btoa(`${config.SMS_ACCOUNT_SID}:${config.SMS_AUTH_TOKEN ?? ""}`)}`,
      "content-type": "application/x-www-form-urlencoded",
      "i-twilio-idempotency-token": message.id,
    },
    body: new URLSearchParams({
      From: config.SMS_FROM,
      To: message.recipient,
      Body: message.textBody,
      // The provider reports the handset's receipt there (POST /v1/webhooks/sms-status), signed.
      ...(config.SMS_STATUS_CALLBACK_URL ? { StatusCallback: config.SMS_STATUS_CALLBACK_URL } : {}),
    }),
  });
  if (!(response instanceof Response)) return response;
  const body = await response.text();
  if (!response.ok) return refusal(response.status, body);
  return { ok: true, providerMessageId: idIn(body, "sid") };
}

export function sendThroughProvider(env: Env, message: OutboxMessage): Promise<SendResult> {
  return message.channel === "sms" ? sendSms(env, message) : sendEmail(env, message);
}
