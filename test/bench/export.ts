// Streamed export at scale: 1M audit events of one organisation exported as CSV by the gateway's deployable
// bundle in Miniflare (workerd), the download read as it arrives. Measured: the workerd process's resident memory
// and its V8 heap in use (sampled every 20 ms: before, and the peak while streaming) and the throughput, against Postgres itself writing
// the same rows with `COPY (…) TO STDOUT WITH CSV` over a plain connection to the same database (pg-copy-streams).
// Targets (issue 12): peak memory of the Worker ≤ 64 MB (its heap in use), throughput ≥ 0.5× COPY.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Miniflare } from "miniflare";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import WebSocket from "ws";
import { nodeDatabase } from "../../db/node-client";
import { freePort } from "../free-port";
import { bundledWorker, bundleWorker } from "../worker-bundles";
import { type BenchStack, call, type Section, summarise, table } from "./setup";

/** Events exported (env EXPORT_ROWS to try another size). */
export const EXPORT_ROWS = Number(process.env.EXPORT_ROWS ?? 1_000_000);
/** Invitations beside them, for the dashboard over the same organisation. */
export const DASHBOARD_INVITATIONS = 100_000;
const SAMPLE_MS = 20;
/** How often the second pass forces a full collection to read what is live. */
const LIVE_GC_MS = 1000;
/** EXPORT_PROFILE=file.json: also a V8 CPU profile of the Worker streaming (BUNDLE_UNMINIFIED=1 for names). */
const PROFILE = process.env.EXPORT_PROFILE;

/** 1M events written by one statement, ids UUIDv7-shaped and in time order, as the app would write them. */
async function generateEvents(stack: BenchStack, rows: number): Promise<void> {
  const { pool } = nodeDatabase(stack.env.DATABASE_URL, stack.env.LOCAL_WS_PROXY);
  try {
    await pool.query(
      `insert into audit_events (id, organisation_id, actor_type, actor_id, actor_name, actor_email, action,
         resource_type, resource_id, resource_name, changes, ip_address, user_agent, request_id, created_at)
       select (lpad(to_hex(t.ms), 12, '0') || '7' || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid,
         $1, 'user', md5('bench-actor-' || (i % 50))::uuid, 'Bench person ' || (i % 50),
         'person' || (i % 50) || '@example.com', 'invitation.created', 'invitation', md5('bench-inv-' || i)::uuid,
         'invitee' || i || '@example.com',
         jsonb_build_object('email', jsonb_build_object('old', null, 'new', 'invitee' || i || '@example.com'),
                            'status', jsonb_build_object('old', null, 'new', 'pending')),
         '203.0.113.' || (i % 250), 'bench/1.0', 'req_' || md5(i::text), to_timestamp(t.ms / 1000.0)
       from generate_series(1, $2::int) i
       cross join lateral (select (extract(epoch from now() - interval '30 days') * 1000)::bigint + i * 2 as ms) t`,
      [stack.organisationUuid, rows],
    );
    await pool.query(
      `insert into invitations (id, organisation_id, email, role_id, inviter_type, inviter_name, status, code_hash, delivery,
         delivery_status, expires_in_days, expires_at, accepted_at, declined_at, created_at)
       select md5('bench-invitation-' || i)::uuid, $1, 'bench-invitee-' || i || '@example.com', (select id from roles where organisation_id = $1 and key = 'member'),
         'user', 'Bench', s.status, md5('bench-code-' || i), 'email', case when i % 10 = 0 then 'failed' else 'sent' end,
         14, t.made + interval '14 days', case when s.status = 'accepted' then t.made + (i % 72) * interval '1 hour' end,
         case when s.status = 'declined' then t.made + interval '1 day' end, t.made
       from generate_series(1, $2::int) i
       cross join lateral (select now() - (i % 300) * interval '1 day' - (i % 24) * interval '1 hour' as made) t
       cross join lateral (select case when i % 3 = 0 then 'accepted' when i % 7 = 0 then 'declined'
                                       when t.made < now() - interval '14 days' then 'expired' else 'pending' end as status) s`,
      [stack.organisationUuid, DASHBOARD_INVITATIONS],
    );
    // What autovacuum would do soon after: statistics of the new rows, so the planner sees a big table.
    await pool.query("vacuum analyze audit_events");
    await pool.query("vacuum analyze invitations");
  } finally {
    await pool.end();
  }
}

/** The workerd processes Miniflare started (children of this process), by pid. */
function workerdPids(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === process.pid && stat.includes("(workerd)");
      } catch {
        return false;
      }
    })
    .map(Number);
}

const rssOf = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
};

/**
 * The Worker's inspector: its V8 heap in use (Runtime.getHeapUsage: live objects, not RSS slack) and any other
 * method without parameters (the profiler's).
 */
async function inspector(
  port: number,
): Promise<{ used(): Promise<number>; send(method: string): Promise<unknown>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const target = targets[0];
  if (!target) throw new Error("export benchmark: no inspector target");
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const pending = new Map<number, (value: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    used: async () => ((await send("Runtime.getHeapUsage")) as { usedSize?: number } | undefined)?.usedSize ?? 0,
    send,
    close: () => socket.close(),
  };
}

type Worker = Awaited<ReturnType<Miniflare["getWorker"]>>;

/** Reads an export's response to the end, as it arrives: its bytes and lines, and how long it took. */
async function download(worker: Worker, url: string, headers: Record<string, string>) {
  const start = performance.now();
  const reply = await worker.fetch(url, { headers });
  if (reply.status !== 200) throw new Error(`export benchmark: ${reply.status} ${await reply.text()}`);
  let bytes = 0;
  let lines = 0;
  const reader = reply.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.byteLength; i++) if (value[i] === 10) lines++;
  }
  return { seconds: (performance.now() - start) / 1000, bytes, lines };
}

/** Postgres writing the same rows as CSV, read to the end over a plain connection. */
async function copyBaseline(stack: BenchStack): Promise<{ seconds: number; bytes: number }> {
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await client.connect();
  try {
    let bytes = 0;
    const start = performance.now();
    const stream = client.query(
      copyTo(
        `COPY (select id, organisation_id, actor_type, actor_id, actor_name, actor_email, action, resource_type,
                resource_id, resource_name, changes, ip_address, user_agent, request_id, created_at
              from audit_events where organisation_id = '${stack.organisationUuid}' order by id desc)
         TO STDOUT WITH (FORMAT csv, HEADER)`,
      ),
    );
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    return { seconds: (performance.now() - start) / 1000, bytes };
  } finally {
    await client.end();
  }
}

export async function exportAtScale(stack: BenchStack): Promise<Section> {
  await generateEvents(stack, EXPORT_ROWS);
  const outdir = mkdtempSync(path.join(os.tmpdir(), "muster-bench-export-"));
  let miniflare: Miniflare | undefined;
  try {
    const gateway = await bundleWorker(outdir, null);
    const inspectorPort = await freePort();
    miniflare = new Miniflare({
      inspectorPort,
      workers: [
        {
          ...bundledWorker("muster", gateway, "gateway.js", stack.env as unknown as Record<string, string>),
          durableObjects: { RATE_LIMITS: { className: "RateLimiter", useSQLite: true } },
        },
      ],
    });
    const worker = await miniflare.getWorker("muster");
    const pids = workerdPids();
    const memory = () => pids.reduce((sum, pid) => sum + rssOf(pid), 0);
    const url = `https://api.example/v1/exports/audit-events?organisation_id=${stack.organisationId}&format=csv`;
    const headers = { authorization: `Bearer ${stack.token}` };
    // Warm: the app loaded and the contract compiled, so the idle footprint is the Worker's own.
    const warm = await worker.fetch(`${url}&action=organisation.created`, { headers });
    await warm.arrayBuffer();
    const heap = await inspector(inspectorPort);
    const idle = memory();
    const idleHeap = await heap.used();
    let peak = idle;
    let peakHeap = idleHeap;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory());
      void heap.used().then((used) => {
        peakHeap = Math.max(peakHeap, used);
      });
    }, SAMPLE_MS);
    if (PROFILE) await heap.send("Profiler.enable").then(() => heap.send("Profiler.start"));
    const { seconds, bytes, lines } = await download(worker, url, headers);
    clearInterval(sampler);
    if (PROFILE) writeFileSync(PROFILE, JSON.stringify((await heap.send("Profiler.stop")) as { profile: unknown }));
    // A second pass, apart from the measured one: a full collection every LIVE_GC_MS, then the heap in use, so the
    // peak of what is live (retained across batches) shows beside the peak of what V8 let pile up before collecting.
    let livePeak = 0;
    const collect = async () => {
      await heap.send("HeapProfiler.collectGarbage");
      livePeak = Math.max(livePeak, await heap.used());
    };
    const collector = setInterval(() => void collect(), LIVE_GC_MS);
    await download(worker, url, headers);
    clearInterval(collector);
    await collect();
    heap.close();
    const copy = await copyBaseline(stack);
    const dashboardTimes: number[] = [];
    for (const interval of ["day", "week", "month", "day", "week", "month"]) {
      const begin = performance.now();
      const until = new Date().toISOString();
      const since = new Date(Date.now() - 365 * 86_400_000).toISOString();
      const answer = await call(
        stack,
        "GET",
        `/v1/analytics/dashboard?organisation_id=${stack.organisationId}&since=${since}&until=${until}&interval=${interval}`,
      );
      if (answer.status !== 200) throw new Error(`dashboard: ${answer.status} ${JSON.stringify(answer.body)}`);
      dashboardTimes.push(performance.now() - begin);
    }
    const dashboard = summarise(dashboardTimes);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const rowsPerSecond = (EXPORT_ROWS / seconds).toFixed(0);
    const copyRowsPerSecond = (EXPORT_ROWS / copy.seconds).toFixed(0);
    const ratio = copy.seconds / seconds;
    const grew = peak - idle;
    return {
      title: `Export: ${EXPORT_ROWS.toLocaleString("en")} audit events as CSV, streamed by the gateway bundle in Miniflare`,
      lines: [
        ...table([
          [
            "producer",
            "seconds",
            "rows/s",
            "MB",
            "V8 heap used idle → peak MB",
            "workerd RSS idle → peak MB",
            "verdict",
          ],
          [
            "GET /v1/exports/audit-events?format=csv",
            seconds.toFixed(1),
            rowsPerSecond,
            mb(bytes),
            `${mb(idleHeap)} → ${mb(peakHeap)}`,
            `${mb(idle)} → ${mb(peak)} (+${mb(grew)})`,
            peakHeap <= 64 * 1024 * 1024 ? "heap PASS" : "heap OVER",
          ],
          [
            "COPY … TO STDOUT WITH CSV (same rows)",
            copy.seconds.toFixed(1),
            copyRowsPerSecond,
            mb(copy.bytes),
            "",
            "",
            "",
          ],
          ["ratio export/COPY (throughput)", ratio.toFixed(2), "", "", "", "", ratio >= 0.5 ? "PASS" : "OVER"],
        ]),
        "",
        `Dashboard over the same organisation (${EXPORT_ROWS.toLocaleString("en")} audit events, ${DASHBOARD_INVITATIONS.toLocaleString("en")} invitations), a`,
        `year by day, week and month, twice each in Node (app.request): p50 ${dashboard.p50.toFixed(0)} ms, worst ${dashboardTimes
          .reduce((a, b) => Math.max(a, b), 0)
          .toFixed(0)} ms; 2 statements (the round-trips section counts them).`,
        "",
        `${lines.toLocaleString("en")} lines received (a header, then one per event; a cell's own newlines add some).`,
        `Memory sampled every ${SAMPLE_MS} ms: the Worker isolate's V8 heap in use (inspector, Runtime.getHeapUsage),`,
        "which the target (≤ 64 MB) is held to, and workerd's resident set (the runtime and what V8 has reserved).",
        `Live heap (a second pass, not timed: a full collection every ${LIVE_GC_MS / 1000} s, then the heap in use): ` +
          `idle ${mb(idleHeap)} → peak ${mb(livePeak)} MB, ${livePeak <= 64 * 1024 * 1024 ? "within" : "over"} 64 MB: ` +
          "what the export holds across batches, where the peak above also counts garbage not yet collected.",
        ...(PROFILE
          ? [
              `Profiled (EXPORT_PROFILE=${PROFILE}): the profiler slows the Worker, so the times above are not comparable.`,
            ]
          : []),
      ],
    };
  } finally {
    await miniflare?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  }
}
