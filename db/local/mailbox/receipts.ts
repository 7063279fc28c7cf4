// Delivery receipts, as Twilio sends them: for an SMS sent with a StatusCallback, the mailbox posts `sent` then
// `delivered` there, form-encoded and signed with X-Twilio-Signature (keyed with the auth token the sender
// authenticated with, as Twilio keys it with the account's). The API stores the message's id once our 201 reaches
// it, so a receipt that arrives first is answered 404: it is retried with backoff, a few times.
import { twilioSignature } from "../../../functions/platform/twilio";

const STATUSES = ["sent", "delivered"] as const;
const ATTEMPTS = 6;
const FIRST_DELAY_MS = 150;
const TIMEOUT_MS = 10_000;

export interface SentSms {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
}

export interface ReceiptOutcome {
  status: (typeof STATUSES)[number];
  /** The last answer's HTTP status, or 0 when the callback could not be reached. */
  answered: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts one signed receipt, retrying a 404, a 5xx or no answer; returns the last HTTP status (0: none). */
async function postReceipt(url: string, authToken: string, params: Record<string, string>): Promise<number> {
  const signature = await twilioSignature(authToken, url, params);
  let answered = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await pause(FIRST_DELAY_MS * 2 ** attempt);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      answered = response.status;
      if (response.status !== 404 && response.status < 500) return answered;
    } catch {
      answered = 0;
    }
  }
  return answered;
}

/** Sends the receipts of one SMS in order; resolves with what each got (never rejects). */
export async function sendReceipts(callbackUrl: string, authToken: string, sms: SentSms): Promise<ReceiptOutcome[]> {
  const outcomes: ReceiptOutcome[] = [];
  for (const status of STATUSES) {
    const params = {
      AccountSid: sms.accountSid,
      ApiVersion: "2010-04-01",
      From: sms.from,
      MessageSid: sms.sid,
      MessageStatus: status,
      SmsSid: sms.sid,
      SmsStatus: status,
      To: sms.to,
    };
    const answered = await postReceipt(callbackUrl, authToken, params);
    outcomes.push({ status, answered });
    if (answered < 200 || answered >= 300) {
      console.warn(`[mailbox] receipt '${status}' for ${sms.sid} to ${callbackUrl}: answered ${answered || "nothing"}`);
      break;
    }
  }
  return outcomes;
}
