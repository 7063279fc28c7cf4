// Phones in local development: `npm run -s token -- --phone …` vouches for a phone, and the dev mailbox reports
// each SMS it receives with a StatusCallback back to it, signed as Twilio signs its receipts.

import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { startMailbox } from "../../../db/local/mailbox";
import type { ReceiptOutcome } from "../../../db/local/mailbox/receipts";
import { twilioSignature } from "../../../functions/platform/twilio";
import { fakeApi, oneLine, runScript } from "./helpers";

describe.concurrent("the token command with --phone", () => {
  it("a phone alone: a token whose verified phone is that number in E.164, and no email", async () => {
    const { code, stdout, stderr } = await runScript("token", ["--phone", "+44 7400 123456"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ phone_number: "+447400123456", phone_number_verified: true });
    expect(claims.email).toBeUndefined();
    expect(claims.sub).toBe("dev|phone:+447400123456");
  });

  it("an email and a phone: the same person as the email alone, with the phone added", async () => {
    const [both, alone] = await Promise.all([
      runScript("token", ["dana@example.com", "--phone", "+447400123457"]),
      runScript("token", ["dana@example.com"]),
    ]);
    const claims = decodeJwt(both.stdout.trim());
    expect(claims).toMatchObject({ email: "dana@example.com", phone_number: "+447400123457" });
    expect(claims.sub).toBe(decodeJwt(alone.stdout.trim()).sub);
    expect(decodeJwt(alone.stdout.trim()).phone_number).toBeUndefined();
  });

  it.for([
    { args: ["--phone", "not a phone"], says: /^muster: --phone: 'not a phone' must contain only digits/ },
    { args: ["--phone", "+999 1234 5678"], says: /^muster: --phone: .* must be a valid phone number/ },
  ])("refuses $args in one line, exit 2", async ({ args, says }) => {
    const { code, stdout, stderr } = await runScript("token", args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(oneLine(stderr)).toMatch(says);
  });
});

describe("the dev mailbox's delivery receipts", () => {
  it("posts 'sent' then 'delivered' to the StatusCallback, signed with the sender's auth token, retrying a 404", async () => {
    let first = true;
    const api = await fakeApi(() => {
      // The first receipt arrives before the API has stored the message id: it answers 404, and is retried.
      if (first) {
        first = false;
        return { status: 404, body: { error: { code: "not_found" } } };
      }
      return { status: 200, body: { object: "sms_status_receipt" } };
    });
    let heard: (outcomes: ReceiptOutcome[]) => void = () => {};
    const receipts = new Promise<ReceiptOutcome[]>((resolve) => {
      heard = resolve;
    });
    const mailbox = await startMailbox({ port: 0, onReceipts: (_sid, outcomes) => heard(outcomes) });
    try {
      const callback = `${api.url}/v1/webhooks/sms-status`;
      const sent = await fetch(`${mailbox.url}/2010-04-01/Accounts/ACdev/Messages.json`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from("ACdev:the-auth-token").toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ From: "Muster", To: "+447400123458", Body: "hello", StatusCallback: callback }),
      });
      expect(sent.status).toBe(201);
      const { sid } = (await sent.json()) as { sid: string };

      expect(await receipts).toEqual([
        { status: "sent", answered: 200 },
        { status: "delivered", answered: 200 },
      ]);
      expect(api.seen.map((request) => new URLSearchParams(request.body).get("MessageStatus"))).toEqual([
        "sent",
        "sent",
        "delivered",
      ]);
      for (const request of api.seen) {
        const params = new URLSearchParams(request.body);
        expect(request.url).toBe("/v1/webhooks/sms-status");
        expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
        expect(params.get("MessageSid")).toBe(sid);
        expect(params.get("To")).toBe("+447400123458");
        expect(request.headers["x-twilio-signature"]).toBe(await twilioSignature("the-auth-token", callback, params));
      }
    } finally {
      await mailbox.close();
      await api.close();
    }
  });
});
