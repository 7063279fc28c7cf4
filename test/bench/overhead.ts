// Overhead of the full stack against a bare Hono handler doing the same query, on the same runtime (Node).
//
// Full: GET /v1/roles?organisation_id=… through the gateway's `app.request` — request id, secure headers, CORS,
// JWT verification, scope check, query validation, the caller's standing in the organisation (one query), the
// roles query, presentation and the response schema. Bare: a `new Hono()` route that runs the same Drizzle
// select on the same database and returns the rows. Both open one pool per request and end it afterwards, as
// the app's database middleware does, so connection setup is on both sides and the ratio shows the stack.
// The two run alternately, one request at a time, after a warm-up of each.
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { createDatabase } from "../../functions/platform/db";
import type { Env } from "../../functions/platform/env";
import { roles } from "../../schema";
import { type BenchStack, call, type Section, summarise, table } from "./setup";

const WARM_UP = 50;
const ITERATIONS = 500;
const LIMIT = 20; // the list's default page size; the app fetches one more row to know if there is a next page

function bareApp(organisationUuid: string) {
  const bare = new Hono<{ Bindings: Env }>();
  bare.get("/bare/roles", async (c) => {
    const { db, pool } = createDatabase(c.env);
    try {
      const rows = await db
        .select()
        .from(roles)
        .where(eq(roles.organisationId, organisationUuid))
        .orderBy(asc(roles.id))
        .limit(LIMIT + 1);
      return c.json({ data: rows.slice(0, LIMIT) });
    } finally {
      void pool.end().catch(() => {});
    }
  });
  return bare;
}

async function timed(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const status = await run();
  const elapsed = performance.now() - start;
  if (status !== 200) throw new Error(`overhead benchmark: status ${status}`);
  return elapsed;
}

export async function overhead(stack: BenchStack): Promise<Section> {
  const bare = bareApp(stack.organisationUuid);
  const full = () => call(stack, "GET", `/v1/roles?organisation_id=${stack.organisationId}`).then((r) => r.status);
  const plain = async () => {
    const response = await bare.request("/bare/roles", {}, stack.env);
    await response.text();
    return response.status;
  };
  for (let i = 0; i < WARM_UP; i++) {
    await timed(full);
    await timed(plain);
  }
  const fullTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    fullTimes.push(await timed(full));
    bareTimes.push(await timed(plain));
  }
  const f = summarise(fullTimes);
  const b = summarise(bareTimes);
  const ms = (x: number) => x.toFixed(2);
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x`;
  return {
    title: `Full stack vs bare Hono handler, same query, Node (${ITERATIONS} sequential requests each, after ${WARM_UP} warm-up)`,
    lines: [
      ...table([
        ["handler", "mean ms", "p50 ms", "p99 ms"],
        ["full: GET /v1/roles?organisation_id= via app.request", ms(f.mean), ms(f.p50), ms(f.p99)],
        ["bare: new Hono() route, same Drizzle select", ms(b.mean), ms(b.p50), ms(b.p99)],
        ["ratio full/bare", ratio(f.mean, b.mean), ratio(f.p50, b.p50), ratio(f.p99, b.p99)],
      ]),
      "",
      `Added per request: ${ms(f.mean - b.mean)} ms mean (auth + permission query + validation + presentation).`,
      "Both sides open a connection per request (as the app does); the full stack sends 2 statements, bare 1.",
    ],
  };
}
