import type { OutboxChannel } from "../../schema";
import { configOf } from "../platform/config";
import type { Env } from "../platform/env";
import type { NewOutboxMessage } from "../platform/outbox";

export interface InvitationMessageInput {
  organisationId: string;
  invitationId: string;
  channel: OutboxChannel;
  recipient: string;
  organisationName: string;
  inviterName: string;
  /** The role the invitee gets; null for an invitation to an opportunity. */
  roleName: string | null;
  /** Set for an invitation to an opportunity: accepting gives access to it, not membership. */
  opportunityName?: string | null;
  customMessage: string | null;
  code: string;
  expiresAt: Date;
}

function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function invitationLink(env: Env, code: string): string {
  const config = configOf(env);
  // Without a page of its own, the link opens the API's landing page (functions/meta/assets/invite.html).
  const template = config.INVITATION_URL || `${config.API_ISSUER.replace(/\/+$/, "")}/invite#code={code}`;
  return template.replace("{code}", encodeURIComponent(code));
}

const formatDate = (date: Date) =>
  date.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).concat(" UTC");

/** The invitation as an email (text and HTML, everything user-supplied escaped) or an SMS. */
/** "to join Acme on Muster as Member", or "to work on Harvest with Acme on Muster". */
function invitedTo(input: InvitationMessageInput, mark: (text: string) => string = (text) => text): string {
  return input.opportunityName
    ? `to work on ${mark(input.opportunityName)} with ${mark(input.organisationName)} on Muster`
    : `to join ${mark(input.organisationName)} on Muster as ${mark(input.roleName ?? "a member")}`;
}

export function invitationMessage(env: Env, input: InvitationMessageInput): NewOutboxMessage {
  const link = invitationLink(env, input.code);
  const expires = formatDate(input.expiresAt);
  const base = {
    organisationId: input.organisationId,
    invitationId: input.invitationId,
    channel: input.channel,
    recipient: input.recipient,
    expiresAt: input.expiresAt,
  };
  if (input.channel === "sms") {
    const note = input.customMessage ? ` "${input.customMessage.slice(0, 120)}"` : "";
    return {
      ...base,
      subject: null,
      htmlBody: null,
      textBody: `${input.inviterName} invited you ${invitedTo(input)}.${note} Accept: ${link} (expires ${expires})`,
    };
  }
  const subject = input.opportunityName
    ? `${input.inviterName} invited you to work on ${input.opportunityName}`
    : `${input.inviterName} invited you to join ${input.organisationName} on Muster`;
  const text = [
    `${input.inviterName} invited you ${invitedTo(input)}.`,
    ...(input.customMessage ? ["", `Their message: "${input.customMessage}"`] : []),
    "",
    `Accept the invitation: ${link}`,
    "",
    `The invitation expires on ${expires}. If you did not expect it, you can ignore this email.`,
  ].join("\n");
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">
  <p><strong>${escapeHtml(input.inviterName)}</strong> invited you ${invitedTo(input, (text) => `<strong>${escapeHtml(text)}</strong>`)}.</p>
  ${input.customMessage ? `<blockquote style="border-left: 3px solid #ccc; margin: 1em 0; padding-left: 1em">${escapeHtml(input.customMessage)}</blockquote>` : ""}
  <p><a href="${escapeHtml(link)}" style="background: #1f4fd1; color: #fff; padding: 0.6em 1.2em; border-radius: 6px; text-decoration: none">Accept the invitation</a></p>
  <p style="color: #555; font-size: 0.9em">Or open this link: ${escapeHtml(link)}<br>The invitation expires on ${escapeHtml(expires)}. If you did not expect it, you can ignore this email.</p>
</body></html>`;
  return { ...base, subject, textBody: text, htmlBody: html };
}
