// Distance: in production every statement is a round trip to a database some milliseconds away, and every
// request opens a connection (one pool per request), which costs round trips of its own. The local proxy can
// hold each answer back (MUSTER_DB_DELAY_MS; here set per run) and counts the round trips it relays, so this
// section reports, per request, the round trips including connection set-up and the median latency with the
// database next door (0 ms) and 20 ms away. A TCP or TLS handshake before the WebSocket upgrade is not modelled.
import { neonConfig, Pool } from "@neondatabase/serverless";
import { apiOperations } from "./api-operations";
import { type BenchStack, call, type Section, summarise, table } from "./setup";

const DELAYS = [0, 20] as const;
const PASSES = 3;

interface Samples {
  kind: string;
  trips: number[];
  ms: Record<number, number[]>;
  failures: string[];
}

/** Round trips of opening a connection and sending one statement, minus the statement. */
async function connectionSetUp(stack: BenchStack, pipeline: "password" | false): Promise<number> {
  const before = neonConfig.pipelineConnect;
  neonConfig.pipelineConnect = pipeline;
  const pool = new Pool({ connectionString: stack.env.DATABASE_URL });
  try {
    const start = stack.proxy.roundTrips;
    await pool.query("select 1");
    return stack.proxy.roundTrips - start - 1;
  } finally {
    await pool.end();
    neonConfig.pipelineConnect = before;
  }
}

export async function distance(stack: BenchStack): Promise<Section> {
  const byName = new Map<string, Samples>();
  const unpipelined = await connectionSetUp(stack, false);
  const pipelined = await connectionSetUp(stack, "password");
  try {
    for (const delay of DELAYS) {
      stack.proxy.delayMs = delay;
      for (let pass = 0; pass < PASSES; pass++) {
        const { operations, tokens } = await apiOperations(stack);
        for (const op of operations) {
          const samples = byName.get(op.name) ?? { kind: op.kind, trips: [], ms: { 0: [], 20: [] }, failures: [] };
          byName.set(op.name, samples);
          const trips = stack.proxy.roundTrips;
          const started = performance.now();
          const reply = await call(stack, op.method, op.path(), op.body?.(), tokens[op.as ?? "owner"]);
          const elapsed = performance.now() - started;
          if (reply.status !== op.expect) {
            samples.failures.push(`${reply.status} at ${delay} ms`);
            continue;
          }
          op.after?.(reply.body);
          samples.ms[delay]?.push(elapsed);
          if (delay === 0) samples.trips.push(stack.proxy.roundTrips - trips);
        }
      }
    }
  } finally {
    stack.proxy.delayMs = 0;
  }
  const rows: (string | number)[][] = [
    ["operation", "kind", "round trips", "p50 at 0 ms", "p50 at 20 ms", "added", "added / 20 ms", "failures"],
  ];
  const median = (values: number[]) => summarise(values).p50;
  for (const [name, samples] of byName) {
    const near = median(samples.ms[0] ?? []);
    const far = median(samples.ms[20] ?? []);
    rows.push([
      name,
      samples.kind,
      samples.trips.length > 0 ? Math.max(...samples.trips) : "-",
      `${near.toFixed(1)} ms`,
      `${far.toFixed(1)} ms`,
      `${(far - near).toFixed(1)} ms`,
      ((far - near) / 20).toFixed(1),
      samples.failures.join(", ") || "-",
    ]);
  }
  return {
    title: `Distance: round trips including connection set-up, and median latency at 0 and 20 ms per round trip (${PASSES} passes each)`,
    lines: [
      `connection set-up: ${pipelined} round trips with the driver's pipelined connect (startup and password in one`,
      `flight, as with Neon in production), ${unpipelined} without; the WebSocket upgrade is one of them.`,
      "",
      ...table(rows),
      "",
      "round trips = what the proxy relayed for the request: the upgrade, then each answer after the driver spoke;",
      "added / 20 ms = the round trips the latency shows (it should match the count).",
    ],
  };
}
