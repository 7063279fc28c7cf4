import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, invitationsTo, type Tenant, uniqueSuffix } from "../harness";
import { createEventFor, deliverWebhook, newEmail, newWebhookId, PATH, receiptExists, signedRaw } from "./helpers";

let tenant: Tenant;
const createEvent = createEventFor(() => tenant);

beforeAll(async () => {
  tenant = await createTenant("webhooks");
});

describe("malformed events", () => {
  it("an unknown event type, correctly signed, is 400", async () => {
    const id = newWebhookId();
    const reply = await deliverWebhook(
      { type: "invitation.delete", data: { invitation_id: "inv_01h455vb4pex5vsknk084sn02q" } },
      { id },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_error");
    expect(await receiptExists(id)).toBe(false);
  });

  it("malformed JSON, correctly signed, is 400 parse_error; the same garbage unsigned is 401", async () => {
    const signed = await signedRaw("{not json");
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe("parse_error");

    const unsigned = await call("POST", PATH, {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe("authentication_failed");
  });

  it("an event missing its fields, correctly signed, is 400 naming them; unsigned it is 401", async () => {
    const email = newEmail();
    const missing = { type: "invitation.create", data: { email } };
    const signed = await deliverWebhook(missing);
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe("validation_error");
    expect(Object.keys(signed.body.error.fields).join(" ")).toContain("organisation_id");
    expect(Object.keys(signed.body.error.fields).join(" ")).toContain("role_id");

    const unsigned = await call("POST", PATH, { body: missing });
    expect(unsigned.status).toBe(401);

    const noData = await deliverWebhook({ type: "invitation.send" });
    expect(noData.status).toBe(400);
    const extra = await deliverWebhook({ ...createEvent(email), surprise: true });
    expect(extra.status).toBe(400);
    expect(await invitationsTo(tenant, email)).toBe(0);
  });

  it("a webhook-id over 200 characters or with spaces, correctly signed, is 400 naming the header; nothing is stored", async () => {
    for (const id of [`msg_${"a".repeat(4996)}`, `msg_${"a".repeat(197)}`, "msg_with space"]) {
      const email = newEmail();
      const reply = await deliverWebhook(createEvent(email), { id });
      expect(reply.status, `${id.length} characters`).toBe(400);
      expect(reply.body.error.code).toBe("validation_error");
      expect(reply.body.error.fields).toHaveProperty("webhook-id");
      expect(await receiptExists(id)).toBe(false);
      expect(await invitationsTo(tenant, email)).toBe(0);
    }
    const longest = `msg_${"a".repeat(180)}${uniqueSuffix()}${uniqueSuffix()}`;
    expect(longest).toHaveLength(200);
    const accepted = await deliverWebhook(createEvent(newEmail()), { id: longest });
    expect(accepted.status).toBe(200);
    expect(accepted.body.id).toBe(longest);
  });

  it("a webhook refused as invalid does not use up its id: a corrected event with the same id is processed", async () => {
    const id = newWebhookId();
    const email = newEmail();
    const invalid = await deliverWebhook({ type: "invitation.create", data: { email } }, { id });
    expect(invalid.status).toBe(400);
    const corrected = await deliverWebhook(createEvent(email), { id });
    expect(corrected.status).toBe(200);
    expect(corrected.body.status).toBe("processed");
    expect(await invitationsTo(tenant, email)).toBe(1);
  });

  it("an event for an organisation's role given in another organisation is 400 and creates nothing", async () => {
    const other = await createTenant("webhooks-other");
    const email = newEmail();
    const reply = await deliverWebhook(createEvent(email, { role_id: other.roleIds.member }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toHaveProperty("role_id");
    expect(await invitationsTo(tenant, email)).toBe(0);
  });
});
