// The dev mailbox's pages and the API's invitation landing page as a person sees them: the list loads itself
// again; an invitation message offers to open the landing page signed in as its recipient; the landing page shows
// a date a person reads and offers Accept and Decline only for an invitation that can still be answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mailbox, startMailbox } from "../../db/local/mailbox";
import type { Invitee } from "../../db/local/mailbox/invitee";
import { describeInvitation, humanDate, readLink } from "../../functions/meta/assets/invite.js";

describe("dev mailbox pages", () => {
  let mailbox: Mailbox;
  const minted: Invitee[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox({
      port: 0,
      mintToken: async (who) => {
        minted.push(who);
        return "dev.token";
      },
    });
  });
  afterAll(async () => {
    await mailbox?.close();
  });

  const pageText = async (pathname: string) => (await fetch(`${mailbox.url}${pathname}`)).text();
  async function email(text: string): Promise<string> {
    const reply = await fetch(`${mailbox.url}/emails`, {
      method: "POST",
      headers: { authorization: "Bearer test", "content-type": "application/json" },
      body: JSON.stringify({ from: "Muster <i@muster.test>", to: ["Dave <dave@example.com>"], subject: "Hi", text }),
    });
    return ((await reply.json()) as { id: string }).id;
  }

  it("the list refreshes itself", async () => {
    const home = await pageText("/");
    expect(home).toMatch(/<meta http-equiv="refresh" content="5">/);
    expect(home).toContain("Refreshes every 5 s.");
  });

  it("an invitation email offers the API's landing page signed in as its recipient", async () => {
    const id = await email("Join us: http://localhost:8787/invite#code=abc_123-XYZ\n");
    const shown = await pageText(`/messages/${id}`);
    expect(shown).toContain('href="http://localhost:8787/invite#code=abc_123-XYZ&#38;token=dev.token"');
    expect(shown).toContain("Open as the invitee");
    expect(minted.at(-1)).toEqual({ email: "dave@example.com" });
    expect(await pageText("/invitations/abc_123-XYZ")).toContain("no route"); // the mailbox no longer plays it
  });

  it("a message without an invitation link offers nothing of the kind", async () => {
    const shown = await pageText(`/messages/${await email("Nothing to open here: https://example.com/x")}`);
    expect(shown).not.toContain("Open as the invitee");
  });
});

describe("the invitation landing page (functions/meta/assets/invite.js)", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  const preview = {
    object: "invitation_preview",
    organisation: { name: "Acme" },
    inviter: { name: "Alice" },
    role: { name: "Member" },
    opportunity: null,
    status: "pending",
    answerable: true,
    expires_at: "2026-12-16T14:30:00.000Z",
  };

  it("reads the code (and a token) from the fragment, or the code from the query", () => {
    expect(readLink({ hash: "#code=abc&token=t.k", search: "" })).toEqual({ code: "abc", token: "t.k" });
    expect(readLink({ hash: "", search: "?code=abc" })).toEqual({ code: "abc", token: "" });
    expect(readLink({ hash: "", search: "" })).toEqual({ code: "", token: "" });
  });

  it("dates read as a person would say them, in the reader's time zone, relative to now", () => {
    expect(humanDate("2026-12-16T14:30:00Z", now, "UTC")).toBe("Wednesday, 16 December 2026 at 14:30 UTC (in 14 days)");
    expect(humanDate("2026-07-02T20:00:00Z", new Date("2026-07-02T10:00:00Z"), "Europe/London")).toBe(
      "Thursday, 2 July 2026 at 21:00 BST (in 10 hours)",
    );
    expect(humanDate("2026-11-30T10:00:00Z", now, "UTC")).toBe("Monday, 30 November 2026 at 10:00 UTC (2 days ago)");
    expect(humanDate(undefined, now)).toBe("at a time the API did not say");
  });

  it("an open invitation says what it is for and when it expires, and offers the buttons", () => {
    const view = describeInvitation(200, preview, now, "UTC");
    expect(view).toMatchObject({ title: "Join Acme", answerable: true });
    expect(view.lines).toEqual([
      "Alice invites you to join Acme as Member.",
      "The invitation expires Wednesday, 16 December 2026 at 14:30 UTC (in 14 days).",
    ]);
    expect(view.lines.join(" ")).not.toContain("2026-12-16T14:30");
  });

  it("an accepted, declined, cancelled or expired invitation says which, without the buttons", () => {
    const said = (status: string) => {
      const view = describeInvitation(200, { ...preview, status, answerable: false }, now, "UTC");
      expect(view.answerable, status).toBe(false);
      return view.lines.at(-1);
    };
    expect(said("accepted")).toBe("This invitation has already been accepted.");
    expect(said("declined")).toMatch(/^This invitation was declined\. Ask whoever invited you/);
    expect(said("cancelled")).toMatch(/^This invitation was cancelled by whoever sent it\./);
    expect(said("expired")).toMatch(/^This invitation has expired\./);
  });

  it("a code the API does not know, or an API that does not answer, is said plainly", () => {
    const unknown = describeInvitation(404, { error: { code: "not_found", message: "No such invitation." } }, now);
    expect(unknown).toMatchObject({ title: "Invitation not found", answerable: false });
    expect(unknown.lines.join(" ")).not.toContain("404");
    const down = describeInvitation(0, null, now);
    expect(down).toMatchObject({ answerable: false, lines: ["The API answered nothing."] });
    const limited = describeInvitation(429, { error: { code: "rate_limited", message: "Slow down." } }, now);
    expect(limited.lines).toEqual(["Slow down. (rate_limited)"]);
  });

  it("an invitation to an opportunity names the opportunity", () => {
    const view = describeInvitation(200, { ...preview, role: null, opportunity: { name: "Harvest helpers" } }, now);
    expect(view.title).toBe("Harvest helpers");
    expect(view.lines[0]).toBe("Alice invites you to work on it with Acme.");
  });
});
