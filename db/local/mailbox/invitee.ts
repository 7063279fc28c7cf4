// The invitee's way in from the mailbox: an invitation message links to the API's landing page (/invite#code=…);
// the mailbox offers the same link with a dev token for the message's recipient, so the page can accept or decline
// as them. The landing page itself is the API's (functions/meta/assets/invite.html); the mailbox only signs in.
import type { MailboxMessage } from "./store";

/** Who answers: by email, or by phone (an SMS invitation). */
export type Invitee = { email: string; phone?: undefined } | { phone: string; email?: undefined };

export type MintToken = (who: Invitee) => Promise<string>;

const LANDING_LINK = /https?:\/\/[^\s<>"']*\/invite#code=[A-Za-z0-9_%-]+/;

/** The landing page's link in a message, with a token for its recipient; null for a message without one. */
export async function inviteeLink(message: MailboxMessage, mintToken: MintToken | undefined): Promise<string | null> {
  const link = LANDING_LINK.exec(message.text)?.[0];
  if (!link || !mintToken) return null;
  const to = message.to[0] ?? "";
  const address = to.match(/<([^>]+)>/)?.[1] ?? to; // "Name <a@b>" → a@b
  const who: Invitee = message.channel === "sms" ? { phone: address } : { email: address };
  return `${link}&token=${encodeURIComponent(await mintToken(who))}`;
}
