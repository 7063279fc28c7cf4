// The invitation landing page the API serves at /invite (static assets, wrangler.toml `[assets]`), and the link
// invitation messages carry to it when INVITATION_URL is not set.
import { describe, expect, it } from "vitest";
import { invitationLink } from "../../functions/invitations/messages";
import { call, testEnv } from "../harness";

describe("the invitation landing page", () => {
  it("/invite is an HTML page that loads its script from this origin only", async () => {
    const reply = await call("GET", "/invite");
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("content-type") ?? "").toMatch(/^text\/html/);
    expect(reply.text).toContain('<script type="module" src="/invite.js"></script>');
    expect(reply.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(reply.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("/invite.js is the page's script, which looks codes up with the API", async () => {
    const reply = await call("GET", "/invite.js");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type") ?? "").toMatch(/^text\/javascript/);
    expect(reply.text).toContain("/v1/invitations:lookup");
    expect(reply.text).toContain("export function describeInvitation");
  });

  it("without INVITATION_URL, messages link to it on the API's own host, the code in the fragment", () => {
    const env = { ...testEnv, INVITATION_URL: "" } as typeof testEnv;
    expect(invitationLink(env, "a b")).toBe(`${testEnv.API_ISSUER}/invite#code=a%20b`);
    expect(invitationLink(testEnv, "abc")).toBe("https://app.test.muster/invitations/abc");
  });
});
