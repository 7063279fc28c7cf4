// What the email/SMS providers received: the shared dev mailbox, and the quirky provider that misbehaves.

import { inject } from "vitest";
import type { MailboxMessage } from "../../db/local/mailbox";
import type { Quirk } from "../quirky-provider";
import { testEnv } from "./env";

export type { MailboxMessage };

/** What the email/SMS provider (the mailbox) received for one recipient; it is shared, so use unique addresses. */
export async function mailFor(recipient: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${testEnv.EMAIL_PROVIDER_URL}/api/messages`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: MailboxMessage[] };
  return messages.filter((message) => message.to.includes(recipient));
}

/** The code in a message's invitation link. */
export function codeIn(message: { text: string }): string {
  const match = /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text);
  if (!match?.[1]) throw new Error(`no invitation link in: ${message.text}`);
  return match[1];
}

/** Provider URLs for a test-only provider that misbehaves as asked (test/quirky-provider.ts), for `call`'s env. */
export function quirkyProvider(quirk: Quirk): { EMAIL_PROVIDER_URL: string; SMS_PROVIDER_URL: string } {
  const url = `${inject("quirkyProviderUrl")}/${quirk}`;
  return { EMAIL_PROVIDER_URL: url, SMS_PROVIDER_URL: url };
}

/** How many sends for one recipient reached the quirky provider (counted on arrival, whatever it then answered). */
export async function quirkyReceived(recipient: string): Promise<number> {
  const response = await fetch(`${inject("quirkyProviderUrl")}/received?to=${encodeURIComponent(recipient)}`);
  if (!response.ok) throw new Error(`quirky provider answered ${response.status}`);
  return ((await response.json()) as { count: number }).count;
}

/** Lets the quirky provider answer the sends it is holding for a recipient (`slow-503`). */
export async function releaseQuirky(recipient: string): Promise<void> {
  const response = await fetch(`${inject("quirkyProviderUrl")}/release?to=${encodeURIComponent(recipient)}`, {
    method: "POST",
  });
  if (!response.ok) throw new Error(`quirky provider answered ${response.status}`);
}

/** Waits until a send for the recipient has reached the quirky provider (it is then in flight, if held). */
export async function untilQuirkyReceived(recipient: string): Promise<void> {
  for (let poll = 0; poll < 200; poll++) {
    if ((await quirkyReceived(recipient)) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no send for ${recipient} reached the quirky provider`);
}
