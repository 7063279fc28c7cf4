// Database round trips per request, counted by a wrapper around the driver.
//
// How it counts: the Neon `Pool` hands every query (`pool.query` and Drizzle's transactions alike) to a
// `Client`, so wrapping `Client.prototype.query` sees each statement the app sends, exactly once. The driver
// sends one statement and waits for its result before the next (no pipelining of queries), so one `query`
// call is one round trip. `BEGIN`/`COMMIT`/`ROLLBACK` are statements too and are counted; they also tell
// whether a write ran in one transaction. Opening the connection (startup + password exchange, per request
// since the app makes one pool per request) is reported separately as `connects`, not against the budget.
import { Client } from "@neondatabase/serverless";
import { apiOperations } from "./api-operations";
import { type BenchStack, call, type Section, table } from "./setup";

interface Count {
  statements: string[];
  connects: number;
}

let current: Count | null = null;

function installCounter(): void {
  const proto = Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const query = proto.query as (...args: unknown[]) => unknown;
  const connect = proto.connect as (...args: unknown[]) => unknown;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    current?.statements.push(text);
    return query.apply(this, args);
  };
  proto.connect = function (this: unknown, ...args: unknown[]) {
    if (current) current.connects++;
    return connect.apply(this, args);
  };
}

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; count: Count }> {
  const count: Count = { statements: [], connects: 0 };
  current = count;
  try {
    return { result: await run(), count };
  } finally {
    current = null;
  }
}

export async function roundTrips(stack: BenchStack): Promise<Section> {
  installCounter();
  const { operations, tokens } = await apiOperations(stack);
  await call(stack, "GET", "/v1/organisations"); // warm-up: module-level caches (key sets, routes)

  const rows: (string | number)[][] = [
    ["operation", "status", "round trips", "connects", "BEGIN/COMMIT", "budget", "verdict", "statements in order"],
  ];
  for (const op of operations) {
    const token = tokens[op.as ?? "owner"];
    const { result, count } = await counted(() => call(stack, op.method, op.path(), op.body?.(), token));
    if (result.status === op.expect) op.after?.(result.body);
    const statements = count.statements.map((s) => s.trim().toLowerCase());
    const begins = statements.filter((s) => s.startsWith("begin")).length;
    const commits = statements.filter((s) => s.startsWith("commit")).length;
    const roundTrips = statements.length;
    const within = op.kind === "read" ? roundTrips <= 2 && begins === 0 : begins === 1 && commits === 1;
    const verdict = result.status !== op.expect ? `ERROR (expected ${op.expect})` : within ? "PASS" : "OVER";
    rows.push([
      op.name,
      result.status,
      roundTrips,
      count.connects,
      `${begins}/${commits}`,
      op.kind === "read" ? "<= 2 round trips" : "1 transaction",
      verdict,
      statements.map((s) => s.split(/\s/, 1)[0]).join(" "),
    ]);
  }
  return {
    title: "Database round trips per request (app.request in Node, seeded owner's token)",
    lines: [
      ...table(rows),
      "",
      "round trips = statements sent (Client.prototype.query calls), BEGIN and COMMIT included;",
      "connects = connections opened (one pool per request), not counted against the budget.",
    ],
  };
}
