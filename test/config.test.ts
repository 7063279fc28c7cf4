// A Worker with a bad binding refuses every request the same way (500, nothing half-done) and logs the
// variable's name once per request, instead of falling back silently in the middle of one.
import { describe, expect, it, vi } from "vitest";
import { call, personToken } from "./harness";

describe("configuration", () => {
  it("a bad RATE_LIMIT_POLICY is a 500 internal_error on every route, logged with the variable's name", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const token = await personToken({ email: "config@example.com" });
      for (const [method, path] of [
        ["GET", "/healthz"],
        ["GET", "/v1/organisations"],
        ["POST", "/v1/invitations:lookup"],
      ] as const) {
        const reply = await call(method, path, {
          token,
          body: method === "POST" ? { code: "x" } : undefined,
          env: { RATE_LIMIT_POLICY: "fast" },
        });
        expect(reply.status, `${method} ${path}`).toBe(500);
        expect(reply.body.error.code).toBe("internal_error");
        expect(reply.text).not.toMatch(/RATE_LIMIT_POLICY/);
      }
      expect(logged.mock.calls.map((args) => args.map(String).join(" ")).join("\n")).toMatch(
        /RATE_LIMIT_POLICY: must be limit\/period/,
      );
    } finally {
      logged.mockRestore();
    }
  });

  it("a bad SERVICE_TOKEN_TTL is named too, and a good configuration serves", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect((await call("GET", "/healthz", { env: { SERVICE_TOKEN_TTL: "15 minutes" } })).status).toBe(500);
      expect(logged.mock.calls.flat().map(String).join("\n")).toMatch(/SERVICE_TOKEN_TTL: /);
    } finally {
      logged.mockRestore();
    }
    expect((await call("GET", "/healthz")).status).toBe(200);
  });
});
