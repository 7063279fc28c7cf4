// Latency the rate limiter adds: the gateway's deployable bundle in Miniflare (workerd), twice — once with its
// RATE_LIMITS Durable Object binding, once without (then nothing is counted, as in Node scripts) — answering the
// same anonymous GET /healthz, which counts one request in the `anonymous` bucket. The two alternate, one request
// at a time, after a warm-up; requests rotate over many client addresses, so the keys spread over all shards and
// no bucket runs out. The difference is the Worker → Durable Object call and its SQLite read and write; on
// Cloudflare the shard may sit in another location than the Worker, which adds the network between them.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { RATE_LIMIT_SHARDS } from "../../functions/platform/rate-limit";
import { bundledWorker, bundleWorker } from "../worker-bundles";
import { type BenchStack, type Section, summarise, table } from "./setup";

const WARM_UP = 200;
const ITERATIONS = 2000;
const ADDRESSES = 1000;
const PARALLEL = 10;

export async function rateLimiter(stack: BenchStack): Promise<Section> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "muster-bench-limiter-"));
  const bindings = {
    ...(stack.env as unknown as Record<string, string>),
    ANONYMOUS_RATE_LIMIT_POLICY: "1000000/60",
  };
  let miniflare: Miniflare | undefined;
  try {
    const gateway = await bundleWorker(outdir, null);
    miniflare = new Miniflare({
      workers: [
        {
          ...bundledWorker("muster", gateway, "gateway.js", bindings),
          durableObjects: { RATE_LIMITS: { className: "RateLimiter", useSQLite: true } },
        },
        bundledWorker("muster-unlimited", gateway, "gateway.js", bindings),
      ],
    });
    const limited = await miniflare.getWorker("muster");
    const unlimited = await miniflare.getWorker("muster-unlimited");
    let next = 0;
    const once = async (worker: typeof limited, expectCounted: boolean) => {
      const client = next++ % ADDRESSES;
      const address = `10.0.${Math.floor(client / 250)}.${(client % 250) + 1}`;
      const start = performance.now();
      const reply = await worker.fetch("https://api.example/healthz", { headers: { "cf-connecting-ip": address } });
      await reply.arrayBuffer();
      const elapsed = performance.now() - start;
      if (reply.status !== 200) throw new Error(`rate-limiter benchmark: /healthz answered ${reply.status}`);
      if (reply.headers.has("ratelimit") !== expectCounted) throw new Error("rate-limiter benchmark: wrong Worker");
      return elapsed;
    };
    for (let i = 0; i < WARM_UP; i++) {
      await once(limited, true);
      await once(unlimited, false);
    }
    const withLimiter: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      withLimiter.push(await once(limited, true));
      without.push(await once(unlimited, false));
    }
    const burst = async (worker: typeof limited, counted: boolean) => {
      const start = performance.now();
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          for (let i = 0; i < ITERATIONS / PARALLEL; i++) await once(worker, counted);
        }),
      );
      return ITERATIONS / ((performance.now() - start) / 1000);
    };
    const throughputWith = await burst(limited, true);
    const throughputWithout = await burst(unlimited, false);
    const w = summarise(withLimiter);
    const o = summarise(without);
    const ms = (x: number) => x.toFixed(3);
    return {
      title: `Rate limiter: GET /healthz on the gateway bundle in Miniflare, with and without the limiter (${ITERATIONS} sequential each, alternating)`,
      lines: [
        ...table([
          ["gateway", "mean ms", "p50 ms", "p99 ms", `req/s (${PARALLEL} parallel)`],
          ["with RATE_LIMITS (anonymous bucket)", ms(w.mean), ms(w.p50), ms(w.p99), throughputWith.toFixed(0)],
          ["without (nothing counted)", ms(o.mean), ms(o.p50), ms(o.p99), throughputWithout.toFixed(0)],
          ["added by the limiter", ms(w.mean - o.mean), ms(w.p50 - o.p50), ms(w.p99 - o.p99), ""],
        ]),
        "",
        `Keys from ${ADDRESSES} client addresses over ${RATE_LIMIT_SHARDS} shards; one limiter call per request (an`,
        "organisation request makes one too, in its own bucket). Local workerd: on Cloudflare the shard's location",
        "adds the network between it and the Worker.",
      ],
    };
  } finally {
    await miniflare?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  }
}
