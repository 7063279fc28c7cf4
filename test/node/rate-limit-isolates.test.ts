// Rate limits are exact across isolates: the deployable bundles of two Workers (the gateway, which defines the
// limiter, and the organisations Worker, which binds to it by script name as wrangler.toml says) run side by side
// in Miniflare, and requests alternating between them draw one budget.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledWorker, bundleWorker } from "../worker-bundles";

const POLICY = { limit: 6, window: 60 };

let outdir: string;
let miniflare: Miniflare;

/** What the configuration needs to parse; nothing here is reached (these requests carry no token). */
const bindings = {
  DATABASE_URL: "postgres://nobody@127.0.0.1:1/nothing",
  AUTH_ISSUER: "https://idp.example/",
  AUTH_AUDIENCE: "muster-api",
  AUTH_JWKS: JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] }),
  API_ISSUER: "https://api.example",
  API_SIGNING_KEYS: JSON.stringify([{ kty: "EC" }]),
  ANONYMOUS_RATE_LIMIT_POLICY: `${POLICY.limit}/${POLICY.window}`,
};

beforeAll(async () => {
  outdir = mkdtempSync(path.join(os.tmpdir(), "muster-isolates-"));
  const [gateway, organisations] = await Promise.all([
    bundleWorker(outdir, null),
    bundleWorker(outdir, "organisations"),
  ]);
  miniflare = new Miniflare({
    workers: [
      {
        ...bundledWorker("muster", gateway, "gateway.js", bindings),
        durableObjects: { RATE_LIMITS: { className: "RateLimiter", useSQLite: true } },
      },
      {
        ...bundledWorker("muster-organisations", organisations, "worker.js", bindings),
        durableObjects: { RATE_LIMITS: { className: "RateLimiter", scriptName: "muster", useSQLite: true } },
      },
    ],
  });
  await miniflare.ready;
});

afterAll(async () => {
  await miniflare?.dispose();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe("one budget across Workers", () => {
  it("anonymous requests from one address, alternating between two Workers, count down one bucket to 429", async () => {
    const workers = [await miniflare.getWorker("muster"), await miniflare.getWorker("muster-organisations")];
    const address = "198.51.100.23";
    const remaining: number[] = [];
    for (let i = 0; i < POLICY.limit; i++) {
      const reply = await workers[i % 2]!.fetch("https://api.example/v1/organisations", {
        headers: { "cf-connecting-ip": address },
      });
      expect(reply.status).toBe(401);
      await reply.arrayBuffer();
      expect(reply.headers.get("ratelimit-policy")).toBe(`"anonymous";q=${POLICY.limit};w=${POLICY.window}`);
      const header = reply.headers.get("ratelimit") ?? "";
      expect(header).toMatch(/^"anonymous";r=\d+;t=\d+$/);
      remaining.push(Number(/r=(\d+)/.exec(header)?.[1]));
    }
    // Each Worker alone would have counted only half of these.
    expect(remaining).toEqual([5, 4, 3, 2, 1, 0]);
    for (const worker of workers) {
      const refused = await worker.fetch("https://api.example/v1/organisations", {
        headers: { "cf-connecting-ip": address },
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    }
    // Another address has its own bucket, on either Worker.
    const other = await workers[1]!.fetch("https://api.example/v1/organisations", {
      headers: { "cf-connecting-ip": "198.51.100.24" },
    });
    expect(other.status).toBe(401);
    await other.arrayBuffer();
  });
});
