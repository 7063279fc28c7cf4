// The dev mailbox's pages as a person sees them: the list loads itself again, and the invitation landing page
// shows a date a person reads and offers Accept and Decline only for an invitation that can still be answered.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mailbox, startMailbox } from "../../db/local/mailbox";
import { humanDate } from "../../db/local/mailbox/invitations";

const OPEN_CODE = "open-code";

describe("dev mailbox pages", () => {
  let api: http.Server;
  let mailbox: Mailbox;

  beforeAll(async () => {
    // The lookup as the API answers it: the open invitation's preview, a 404 for any other code.
    api = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const { code } = JSON.parse(body) as { code: string };
        res.setHeader("content-type", "application/json");
        if (req.url === "/v1/invitations:lookup" && code === OPEN_CODE) {
          res.end(
            JSON.stringify({
              organisation: { name: "Acme" },
              inviter: { name: "Alice" },
              role: { name: "Member" },
              opportunity: null,
              expires_at: "2026-12-16T14:30:00.000Z",
            }),
          );
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { code: "not_found", message: "No such invitation." } }));
        }
      });
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    mailbox = await startMailbox({
      port: 0,
      apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      mintToken: async () => "token",
    });
  });
  afterAll(async () => {
    await mailbox?.close();
    await new Promise((resolve) => api?.close(resolve));
  });

  const pageText = async (pathname: string) => (await fetch(`${mailbox.url}${pathname}`)).text();

  it("the list refreshes itself", async () => {
    const home = await pageText("/");
    expect(home).toMatch(/<meta http-equiv="refresh" content="5">/);
    expect(home).toContain("Refreshes every 5 s.");
  });

  it("an open invitation shows a human date and the buttons", async () => {
    const shown = await pageText(`/invitations/${OPEN_CODE}`);
    expect(shown).toContain("Join Acme");
    expect(shown).toMatch(/Expires \w+day, 16 December 2026 at 14:30 UTC \(/);
    expect(shown).not.toContain("2026-12-16T14:30");
    expect(shown).toContain(">Accept</button>");
    expect(shown).toContain(">Decline</button>");
  });

  it("a used, expired or cancelled invitation says so, without the buttons", async () => {
    const shown = await pageText("/invitations/used-code");
    expect(shown).toContain("can no longer be answered");
    expect(shown).toContain("accepted or declined");
    expect(shown).not.toContain("<button");
    expect(shown).not.toContain("404");
  });

  it("dates read as a person would say them, relative to now", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    expect(humanDate("2026-12-16T14:30:00Z", now)).toBe("Wednesday, 16 December 2026 at 14:30 UTC (in 14 days)");
    expect(humanDate("2026-12-02T20:00:00Z", now)).toBe("Wednesday, 2 December 2026 at 20:00 UTC (in 10 hours)");
    expect(humanDate("2026-11-30T10:00:00Z", now)).toBe("Monday, 30 November 2026 at 10:00 UTC (2 days ago)");
    expect(humanDate(undefined, now)).toBe("at a time the API did not say");
  });
});
