// SMS delivery receipts: Twilio's signature (its documented example, then through the app), the delivery status
// they move, and the ones that must change nothing (retries, late ones, after an answer, for a replaced message).

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { twilioSignature, verifyTwilioSignature } from "../../functions/platform/twilio";
import { outboxMessages } from "../../schema";
import { auditTrail, call, createTenant, insertOpportunity, type Made, type Tenant, withDb } from "../harness";
import { answer } from "../invitations/helpers";
import { invitationState, invitedWithCode, newPhone, phoneToken, RECEIPT_URL, receipt, sendQueued } from "./helpers";

let tenant: Tenant;
let opportunity: Made;

beforeAll(async () => {
  tenant = await createTenant("receipts");
  opportunity = await insertOpportunity(tenant);
});

const invited = () => invitedWithCode(opportunity.id, newPhone().e164, tenant.people.owner.token);

describe("Twilio's request signature", () => {
  // The worked example of https://www.twilio.com/docs/usage/webhooks/webhooks-security (auth token 12345).
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+12349013030",
    Digits: "1234",
    From: "+12349013030",
    To: "+18005551212",
  };

  it("matches Twilio's documented example, and refuses any other token, URL, parameter or signature", async () => {
    expect(await twilioSignature("12345", url, params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    const form = new URLSearchParams(params);
    expect(await verifyTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", [url], form)).toBe(true);
    expect(await verifyTwilioSignature("12346", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", [url], form)).toBe(false);
    expect(await verifyTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", [`${url}&x=1`], form)).toBe(false);
    const tampered = new URLSearchParams({ ...params, Digits: "9999" });
    expect(await verifyTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", [url], tampered)).toBe(false);
    expect(await verifyTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ", [url], form)).toBe(false);
    expect(await verifyTwilioSignature("12345", "", [url], form)).toBe(false);
  });
});

describe("SMS delivery receipts", () => {
  it("a signed 'delivered' receipt moves the invitation to delivered, shown in the roster; not audited", async () => {
    const { invitationId, providerMessageId } = await invited();
    expect((await invitationState(invitationId)).deliveryStatus).toBe("sent");
    const trail = (await auditTrail(tenant.uuid)).length;
    const reply = await receipt({ MessageSid: providerMessageId, MessageStatus: "delivered", To: "+447400000000" });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual({
      object: "sms_status_receipt",
      message_sid: providerMessageId,
      applied: true,
      invitation_id: invitationId,
      delivery_status: "delivered",
    });
    const roster = await call("GET", `/v1/opportunities/${opportunity.id}/workers?limit=100`, {
      token: tenant.people.viewer.token,
    });
    expect(roster.body.data.find((entry: { id: string }) => entry.id === invitationId).delivery_status).toBe(
      "delivered",
    );
    expect((await auditTrail(tenant.uuid)).length).toBe(trail);

    // Twilio retries; a final status stays: neither the retry nor a late 'sent' or 'undelivered' changes it.
    for (const status of ["delivered", "sent", "undelivered"]) {
      const again = await receipt({ MessageSid: providerMessageId, MessageStatus: status });
      expect(again.body).toMatchObject({ applied: false, delivery_status: "delivered" });
    }
    expect((await invitationState(invitationId)).deliveryStatus).toBe("delivered");
  });

  it("a bad, missing or foreign signature is 401 in the envelope and changes nothing", async () => {
    const { invitationId, providerMessageId } = await invited();
    const params = { MessageSid: providerMessageId, MessageStatus: "delivered" };
    const attempts = [
      await receipt(params, { signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" }),
      await receipt(params, { signature: null }),
      await receipt(params, { token: "another account's token" }),
      await receipt(params, { url: "https://elsewhere.example/v1/webhooks/sms-status" }),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("authentication_failed");
      expect(reply.headers.get("www-authenticate")).toBe("X-Twilio-Signature");
    }
    expect((await invitationState(invitationId)).deliveryStatus).toBe("sent");
    // Signed JSON is not what Twilio sends for SMS: 415.
    const json = await call("POST", "/v1/webhooks/sms-status", { body: params });
    expect(json.status).toBe(415);
  });

  it("'undelivered' and 'failed' mean undelivered, with the provider's error kept on the message", async () => {
    for (const status of ["undelivered", "failed"]) {
      const { invitationId, providerMessageId } = await invited();
      const reply = await receipt({ MessageSid: providerMessageId, MessageStatus: status, ErrorCode: "30003" });
      expect(reply.body).toMatchObject({ applied: true, delivery_status: "undelivered" });
      const [message] = await withDb((db) =>
        db.select().from(outboxMessages).where(eq(outboxMessages.providerMessageId, providerMessageId)),
      );
      expect(message!.lastError).toBe(`provider receipt: ${status} (error 30003)`);
      // A later 'delivered' does not bring it back: final is final.
      await receipt({ MessageSid: providerMessageId, MessageStatus: "delivered" });
      expect((await invitationState(invitationId)).deliveryStatus).toBe("undelivered");
    }
  });

  it("a receipt after the invitee accepted changes nothing: the invitation stays accepted, its delivery as it was", async () => {
    const phone = newPhone();
    const { invitationId, code, providerMessageId } = await invitedWithCode(
      opportunity.id,
      phone.e164,
      tenant.people.owner.token,
    );
    expect((await answer("accept", code, await phoneToken(phone.e164))).status).toBe(200);
    const reply = await receipt({ MessageSid: providerMessageId, MessageStatus: "undelivered" });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ applied: false, delivery_status: "sent" });
    expect(await invitationState(invitationId)).toEqual({ deliveryStatus: "sent", status: "accepted" });
  });

  it("a receipt for a message a resend replaced is ignored; the new message's receipt counts", async () => {
    const { invitationId, providerMessageId: old } = await invited();
    const resent = await call("POST", `/v1/invitations/${invitationId}:resend`, { token: tenant.people.owner.token });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toMatchObject({ role: null, opportunity_id: opportunity.id, send_count: 2 });
    const stale = await receipt({ MessageSid: old, MessageStatus: "delivered" });
    expect(stale.body.applied).toBe(false);
    expect((await invitationState(invitationId)).deliveryStatus).toBe("sent");
    const latest = await sendQueued(invitationId);
    const fresh = await receipt({ MessageSid: latest.providerMessageId as string, MessageStatus: "delivered" });
    expect(fresh.body).toMatchObject({ applied: true, delivery_status: "delivered" });
  });

  it("an unknown MessageSid is 404; a status that is not final ('queued', 'sent') changes nothing", async () => {
    const unknown = await receipt({ MessageSid: "SM00000000000000000000000000000000", MessageStatus: "delivered" });
    expect(unknown.status).toBe(404);
    const { invitationId, providerMessageId } = await invited();
    for (const status of ["queued", "sending", "sent"]) {
      const reply = await receipt({ MessageSid: providerMessageId, MessageStatus: status });
      expect(reply.body).toMatchObject({ applied: false, delivery_status: "sent" });
    }
    expect((await invitationState(invitationId)).deliveryStatus).toBe("sent");
  });

  it("the URL configured for callbacks is the one signed, wherever the request seems to arrive", async () => {
    const { invitationId, providerMessageId } = await invited();
    const configured = "https://hooks.example.org/v1/webhooks/sms-status";
    const params = { MessageSid: providerMessageId, MessageStatus: "delivered", AccountSid: "ACtest" };
    const signature = await twilioSignature("test", configured, params);
    const reply = await call("POST", "/v1/webhooks/sms-status", {
      rawBody: new URLSearchParams(params).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      env: { SMS_STATUS_CALLBACK_URL: configured },
    });
    expect(reply.status, reply.text).toBe(200);
    expect((await invitationState(invitationId)).deliveryStatus).toBe("delivered");
    expect(RECEIPT_URL).not.toBe(configured);
  });
});
