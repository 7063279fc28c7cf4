// The dev scripts in db/ as a person runs them: a server that is not there is one line and exit 1, and
// webhook:example's exit code follows the API's reply.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../free-port";
import { arrangeSurroundings, envelope, fakeApi, oneLine, runScript, type Seen, type Surroundings } from "./helpers";

let env: Record<string, string>;
let apiPort: number;
let surroundings: Surroundings | undefined;

beforeAll(async () => {
  surroundings = await arrangeSurroundings();
  ({ env, apiPort } = surroundings);
});

afterAll(async () => {
  await surroundings?.close();
});

describe.concurrent("with no server to talk to", () => {
  it.for([
    { event: "invitation.create", args: [] },
    { event: "invitation.send", args: ["--send", "inv_01hzz"] },
  ])("webhook:example ($event) says in one line that the API is not running, exit 1", async ({ args }) => {
    const { code, stdout, stderr } = await runScript("webhook:example", args, env);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(oneLine(stderr)).toBe(
      `muster: cannot reach the API at http://localhost:${apiPort} — is \`npm run dev\` running?`,
    );
  });

  it.for(["db:migrate", "db:seed"] as const)(
    "%s says in one line that the database is not there, exit 1",
    async (script) => {
      // DATABASE_URL points nowhere; the proxy in front of it needs a free port of its own
      const { code, stderr } = await runScript(script, [], { ...env, MUSTER_WS_PROXY_PORT: String(await freePort()) });
      expect(code).toBe(1);
      const line = oneLine(stderr);
      expect(line).toBe(
        `muster: cannot reach the database at ${env.DATABASE_URL?.replace(":hunter2", "")} — is it running?`,
      );
    },
  );

  it("mailbox says in one line that its port is taken, exit 1", async () => {
    const { code, stderr } = await runScript("mailbox", [], env);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(/^muster: cannot start the mailbox on port \d+: .*EADDRINUSE/);
  });

  it("token needs no server: it prints the token and nothing else", async () => {
    const { code, stdout, stderr } = await runScript("token", ["alice@example.com", "--scope", "read"], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+\n$/);
  });
});

describe.concurrent("webhook:example against an API that answers", () => {
  it.for([
    {
      status: 400,
      body: envelope("validation_error", "data.invitation_id: Invalid"),
      shown: "validation_error: data.invitation_id: Invalid",
    },
    {
      status: 503,
      body: envelope("service_unavailable", "The webhook is not configured (WEBHOOK_SECRET)."),
      shown: "service_unavailable: The webhook is not configured (WEBHOOK_SECRET).",
    },
    { status: 502, body: "<html>Bad Gateway</html>", shown: "<html>Bad Gateway</html>" },
  ])("exits 1 on a $status, with the status and the error's code and message", async ({ status, body, shown }) => {
    const api = await fakeApi(() => ({ status, body }));
    try {
      const { code, stdout, stderr } = await runScript(
        "webhook:example",
        ["--api", api.url, "--send", "inv_01hzz"],
        env,
      );
      expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
      expect(oneLine(stderr)).toBe(
        `muster: POST /v1/webhooks/invitation-emails (invitation.send) → ${status} ${shown}`,
      );
      expect(api.seen).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("exits 1 when looking up the demo organisation is refused", async () => {
    const api = await fakeApi(() => ({
      status: 401,
      body: envelope("authentication_failed", "The token is not valid."),
    }));
    try {
      const { code, stderr } = await runScript("webhook:example", ["--api", api.url], env);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toBe(
        "muster: GET /v1/organisations → 401 authentication_failed: The token is not valid.",
      );
      expect(api.seen.map((r) => r.url)).toEqual(["/v1/organisations"]);
    } finally {
      await api.close();
    }
  });

  it("exits 0 on success, having sent a signed invitation.create for the demo organisation", async () => {
    const api = await fakeApi(({ url }) => {
      if (url === "/v1/organisations") return { status: 200, body: { data: [{ id: "org_demo" }] } };
      if (url === "/v1/roles?organisation_id=org_demo") {
        return {
          status: 200,
          body: {
            data: [
              { id: "role_admin", key: "admin" },
              { id: "role_member", key: "member" },
            ],
          },
        };
      }
      return { status: 200, body: { object: "webhook_receipt", status: "processed" } };
    });
    try {
      const { code, stdout, stderr } = await runScript(
        "webhook:example",
        ["--api", `${api.url}/`, "--email", "zoe@example.com"],
        env,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(/^POST \/v1\/webhooks\/invitation-emails \(invitation\.create\) → 200\n/);
      expect(stdout).toContain('"status": "processed"');
      const posted = api.seen.at(-1) as Seen;
      expect(posted.url).toBe("/v1/webhooks/invitation-emails");
      expect(posted.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.parse(posted.body)).toMatchObject({
        type: "invitation.create",
        data: { organisation_id: "org_demo", role_id: "role_member", email: "zoe@example.com" },
      });
    } finally {
      await api.close();
    }
  });
});
