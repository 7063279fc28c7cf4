// Rate limits per plan and credential, told on every response: RateLimit-Policy and RateLimit count down on 2xx
// and 4xx alike, 429 rate_limited with Retry-After when spent, a full budget again after the window, one budget
// per credential in each organisation. (Two Workers sharing one budget: test/node/rate-limit-isolates.test.ts.)
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PLANS } from "../../functions/platform/plans";
import { decide, rateLimitShard } from "../../functions/platform/rate-limit";
import type { RateLimiter } from "../../functions/platform/rate-limiter";
import { call, createTenant, platformAdminToken, type Reply, type Tenant, testEnv, uniqueSuffix } from "../harness";

const LIMIT = 4;
const limited = (label: string) =>
  createTenant(label, { plan: "free", planOverrides: { rate_limit: { limit: LIMIT, window_seconds: 60 } } });

const remainingOf = (reply: Reply) => {
  const match = /"organisation";r=(\d+);t=(\d+)/.exec(reply.headers.get("ratelimit") ?? "");
  expect(match, `RateLimit of ${reply.status}: ${reply.headers.get("ratelimit")}`).not.toBeNull();
  return Number(match![1]);
};

// The admin's own budget: the harness spent some of the owner's setting the tenant up.
const readPlan = (tenant: Tenant, token = tenant.people.admin.token) =>
  call("GET", `/v1/organisations/${tenant.id}/plan`, { token });

describe("inside an organisation: the plan's budget per credential", () => {
  it("counts down on consecutive requests, 2xx and 4xx alike, then 429 with Retry-After", async () => {
    const tenant = await limited("counting");
    const started = Date.now();
    const first = await readPlan(tenant);
    expect(first.status).toBe(200);
    expect(first.body.rate_limit).toEqual({ limit: LIMIT, window_seconds: 60 });
    expect(first.headers.get("ratelimit-policy")).toBe(`"organisation";q=${LIMIT};w=60`);
    expect(remainingOf(first)).toBe(3);
    // A refusal inside the organisation (here by the plan) is counted like any other request there.
    const gated = await call("PUT", `/v1/organisations/${tenant.id}/ip-allowlist`, {
      token: tenant.people.admin.token,
      body: { allowed_ips: [] },
    });
    expect(gated.status).toBe(403);
    expect(remainingOf(gated)).toBe(2);
    // A request refused before it reached the organisation (its body) draws the credential's personal bucket.
    const invalid = await call("PATCH", `/v1/organisations/${tenant.id}`, {
      token: tenant.people.admin.token,
      body: { name: "" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("ratelimit-policy")).toMatch(/^"personal";q=\d+;w=60$/);
    expect(remainingOf(await readPlan(tenant))).toBe(1);
    expect(remainingOf(await readPlan(tenant))).toBe(0);
    const spent = await readPlan(tenant);
    expect(spent.status, spent.text).toBe(429);
    expect(spent.body.error).toMatchObject({ code: "rate_limited", limit: LIMIT, window_seconds: 60 });
    const retryAfter = Number(spent.headers.get("retry-after"));
    // One request's worth of the window (60 s / 4), less the whole seconds this test took so far (a busy machine).
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect(retryAfter).toBeGreaterThanOrEqual(15 - Math.ceil((Date.now() - started) / 1000));
    expect(spent.body.error.retry_after).toBe(retryAfter);
    expect(remainingOf(spent)).toBe(0);
    expect(spent.headers.get("ratelimit-policy")).toBe(`"organisation";q=${LIMIT};w=60`);
  });

  it("another credential of the same organisation has its own budget; the first one's stays spent", async () => {
    const tenant = await limited("per-credential");
    for (let i = 0; i < LIMIT; i++) expect((await readPlan(tenant)).status).toBe(200);
    expect((await readPlan(tenant)).status).toBe(429);
    const manager = await readPlan(tenant, tenant.people.manager.token);
    expect(manager.status).toBe(200);
    expect(remainingOf(manager)).toBe(LIMIT - 1);
    const account = await readPlan(tenant, tenant.serviceAccount.token);
    expect(account.status).toBe(200);
    expect(remainingOf(account)).toBe(LIMIT - 1);
  });

  it("parallel requests are counted exactly: of 10 at once against a budget of 4, 4 pass", async () => {
    const tenant = await limited("parallel");
    const replies = await Promise.all(Array.from({ length: 10 }, () => readPlan(tenant)));
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(LIMIT);
    expect(replies.filter((reply) => reply.status === 429)).toHaveLength(10 - LIMIT);
    const left = replies.filter((reply) => reply.status === 200).map(remainingOf);
    expect(left.sort()).toEqual([0, 1, 2, 3]);
  });

  it("after the window the budget is full again", async () => {
    const tenant = await limited("reset");
    for (let i = 0; i < LIMIT; i++) await readPlan(tenant);
    expect((await readPlan(tenant)).status).toBe(429);
    // Move the bucket's clock a window back rather than wait: what the limiter would see 60 seconds on.
    const namespace = testEnv.RATE_LIMITS as DurableObjectNamespace<RateLimiter>;
    const key = `organisation:${tenant.uuid}|user:${testEnv.AUTH_ISSUER}|test|${tenant.people.admin.email}`;
    const stub = namespace.get(namespace.idFromName(rateLimitShard(key)));
    await runInDurableObject(stub, async (_instance, state) => {
      const [row] = state.storage.sql.exec<{ tat: number }>("SELECT tat FROM buckets WHERE key = ?", key).toArray();
      expect(row?.tat, "the bucket this test spent").toBeGreaterThan(Date.now());
      state.storage.sql.exec("UPDATE buckets SET tat = tat - 60000 WHERE key = ?", key);
    });
    const again = await readPlan(tenant);
    expect(again.status, again.text).toBe(200);
    expect(remainingOf(again)).toBe(LIMIT - 1);
  });

  it("a bucket that has filled up again is forgotten by its shard's sweep; a spent one is kept", async () => {
    const tenant = await limited("sweep");
    await readPlan(tenant);
    await readPlan(tenant, tenant.people.manager.token);
    const namespace = testEnv.RATE_LIMITS as DurableObjectNamespace<RateLimiter>;
    const keyOf = (email: string) => `organisation:${tenant.uuid}|user:${testEnv.AUTH_ISSUER}|test|${email}`;
    const rowOf = (state: DurableObjectState, key: string) =>
      state.storage.sql.exec<{ tat: number }>("SELECT tat FROM buckets WHERE key = ?", key).toArray()[0];
    const idle = keyOf(tenant.people.admin.email);
    const busy = keyOf(tenant.people.manager.email);
    const shardOf = (key: string) => namespace.get(namespace.idFromName(rateLimitShard(key)));
    await runInDurableObject(shardOf(idle), (_instance, state) => {
      state.storage.sql.exec("UPDATE buckets SET tat = tat - 60000 WHERE key = ?", idle);
    });
    for (const key of [idle, busy]) {
      await runInDurableObject(shardOf(key), (instance) => instance.alarm?.());
    }
    expect(await runInDurableObject(shardOf(idle), (_instance, state) => rowOf(state, idle))).toBeUndefined();
    const kept = await runInDurableObject(shardOf(busy), (_instance, state) => rowOf(state, busy));
    expect(kept?.tat).toBeGreaterThan(Date.now());
  });

  it("a platform administrator's new rate limit applies at the next request", async () => {
    const tenant = await limited("override");
    expect(remainingOf(await readPlan(tenant))).toBe(LIMIT - 1);
    const changed = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
      token: await platformAdminToken(),
      body: { overrides: { rate_limit: null } },
    });
    expect(changed.status, changed.text).toBe(200);
    const next = await readPlan(tenant);
    expect(next.headers.get("ratelimit-policy")).toBe(`"organisation";q=${PLANS.free.rate_limit.limit};w=60`);
    expect(next.body.rate_limit).toEqual(PLANS.free.rate_limit);
  });
});

describe("outside an organisation", () => {
  it("requests without credentials are counted per client address, and say so on a 401", async () => {
    const env = { ANONYMOUS_RATE_LIMIT_POLICY: "2/60" };
    const headers = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
    const one = await call("GET", "/v1/organisations", { headers, env });
    expect(one.status).toBe(401);
    expect(one.headers.get("ratelimit-policy")).toBe('"anonymous";q=2;w=60');
    expect(one.headers.get("ratelimit")).toMatch(/^"anonymous";r=1;t=\d+$/);
    expect((await call("GET", "/healthz", { headers, env })).headers.get("ratelimit")).toMatch(/r=0/);
    const third = await call("GET", "/v1/organisations", { headers, env });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe("rate_limited");
    // A forged X-Forwarded-For is not another address.
    const forged = await call("GET", "/healthz", {
      headers: { ...headers, "x-forwarded-for": `198.51.100.${uniqueSuffix().length}` },
      env,
    });
    expect(forged.status).toBe(429);
  });
});

describe("answers no route gives", () => {
  it("an unknown path, a wrong method and an unknown or misused custom method are counted and say so", async () => {
    const env = { ANONYMOUS_RATE_LIMIT_POLICY: "4/60" };
    const headers = { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}` };
    const answers = [
      await call("GET", "/v1/no-such-thing", { headers, env }),
      await call("DELETE", "/healthz", { headers, env }),
      await call("POST", "/v1/organisations/org_01h455vb4pex5vsknk084sn02q:explode", { headers, env, body: {} }),
      await call("GET", "/v1/organisations/org_01h455vb4pex5vsknk084sn02q:transfer-ownership", { headers, env }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([404, 405, 404, 405]);
    for (const answer of answers) expect(answer.headers.get("ratelimit-policy")).toBe('"anonymous";q=4;w=60');
    expect(answers.map((answer) => answer.headers.get("ratelimit")?.match(/r=(\d+)/)?.[1])).toEqual([
      "3",
      "2",
      "1",
      "0",
    ]);
    const spent = await call("GET", "/v1/no-such-thing", { headers, env });
    expect(spent.status).toBe(429);
    expect(spent.body.error.code).toBe("rate_limited");
  });
});

describe("the limiter's arithmetic (GCRA)", () => {
  const policy = { limit: 60, window_seconds: 60 };

  it("allows a full burst of the limit, then refuses until one interval has passed", () => {
    let tat = 0;
    const now = 1_000_000;
    for (let i = 1; i <= 60; i++) {
      const verdict = decide(tat, now, policy);
      expect(verdict.allowed).toBe(true);
      expect(verdict.remaining).toBe(60 - i);
      tat = verdict.tat;
    }
    const refused = decide(tat, now, policy);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfter: 1, reset: 60 });
    expect(decide(tat, now + 999, policy).allowed).toBe(false);
    expect(decide(tat, now + 1000, policy)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("refills evenly: half a window later, half the budget is back", () => {
    let tat = 0;
    const now = 5_000_000;
    for (let i = 0; i < 60; i++) tat = decide(tat, now, policy).tat;
    expect(decide(tat, now + 30_000, policy)).toMatchObject({ allowed: true, remaining: 29 });
    expect(decide(tat, now + 60_000, policy)).toMatchObject({ allowed: true, remaining: 59 });
  });

  it("a smaller policy on a used bucket (a downgrade) bounds what is left by the new policy at once", () => {
    let tat = 0;
    const now = 9_000_000;
    for (let i = 0; i < 10; i++) tat = decide(tat, now, policy).tat;
    // Ten sixtieths of a minute are spent: of 5 a minute (one per 12 s), four more fit in the window.
    const smaller = { limit: 5, window_seconds: 60 };
    for (let i = 0; i < 4; i++) {
      const verdict = decide(tat, now, smaller);
      expect(verdict.allowed, `request ${i + 1}`).toBe(true);
      tat = verdict.tat;
    }
    expect(decide(tat, now, smaller).allowed).toBe(false);
  });
});
