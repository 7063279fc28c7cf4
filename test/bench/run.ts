// npm run bench — the performance scripts of QUALITY.md ("Performance"), in one run on this machine: its own
// embedded Postgres (temp dir, free ports), migrated and seeded, then each benchmark in turn; the report is
// printed at the end. Benchmarks report numbers and verdicts; they never fail the run for being slow or OVER.
import os from "node:os";
import { parseCommand, usageError } from "../../db/cli";
import { bundleSizes } from "./bundle";
import { distance } from "./distance";
import { exportAtScale } from "./export";
import { load } from "./load";
import { DEFAULT_SIZES, matching } from "./matching";
import { overhead } from "./overhead";
import { rateLimiter } from "./rate-limiter";
import { roundTrips } from "./round-trips";
import { type BenchStack, type Section, startBenchStack } from "./setup";

const { values } = parseCommand({
  script: "bench",
  usage: "npm run bench [-- options]",
  summary:
    "Runs the benchmarks of QUALITY.md on this machine: database round trips per request, their latency with\n" +
    "the database 0 and 20 ms away (connection set-up included), the stack's overhead\n" +
    "against a bare handler, load under wrangler dev (autocannon), the latency the rate limiter adds, each\n" +
    "Worker's bundle size, a streamed export of 1M audit events against COPY, and matching at scale\n" +
    "(generated profiles and opportunities). It starts its own embedded Postgres in a temporary folder; the\n" +
    "report (ratios and counts, never a pass/fail on time) is printed at the end. With the 1M profiles of the\n" +
    "matching section it takes several minutes.",
  options: {
    "matching-sizes": {
      type: "string",
      value: "N,N,…",
      default: process.env.MATCHING_SIZES ?? DEFAULT_SIZES.join(","),
      help: "Profile counts the matching section measures at (env MATCHING_SIZES).",
    },
    only: {
      type: "string",
      value: "NAME,…",
      help: "Run only these sections (round-trips, distance, overhead, load, rate-limiter, bundle, export, matching).",
    },
  },
  examples: ["npm run bench > bench.txt", "npm run bench -- --only=matching --matching-sizes=10000,100000"],
});

const sizes = values["matching-sizes"].split(",").map((size) => Number(size.trim()));
if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 10_000_000)) {
  usageError("--matching-sizes: profile counts from 1 to 10000000, comma-separated");
}
const ALL: [string, string, (stack: BenchStack) => Promise<Section>][] = [
  ["round-trips", "round trips", roundTrips], // first: later ones add data (members for the load run)
  ["distance", "distance", distance],
  ["overhead", "overhead", overhead],
  ["load", "load", load],
  ["rate-limiter", "rate limiter", rateLimiter],
  ["bundle", "bundle size", bundleSizes],
  ["export", "export at scale", exportAtScale], // adds a million audit events
  ["matching", "matching", matching(sizes)], // last: it adds a million rows
];
const only = values.only?.split(",").map((name) => name.trim());
const unknown = only?.find((name) => !ALL.some(([key]) => key === name));
if (unknown) usageError(`--only: no section '${unknown}'`);
const BENCHMARKS = ALL.filter(([key]) => !only || only.includes(key)).map(([, name, run]) => [name, run] as const);

const progress = (line: string) => console.error(`[bench] ${line}`);
const started = Date.now();

progress("starting an embedded Postgres (migrate, seed, keys)");
const stack = await startBenchStack();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping what the benchmarks started`);
    void stack.stop().finally(() => process.exit(130));
  });
}
const sections: Section[] = [];
let failed = false;
try {
  for (const [name, run] of BENCHMARKS) {
    progress(`${name}…`);
    const begin = Date.now();
    try {
      sections.push(await run(stack));
    } catch (error) {
      failed = true;
      sections.push({ title: `${name}: FAILED`, lines: String((error as Error)?.stack ?? error).split("\n") });
    }
    progress(`${name} done in ${((Date.now() - begin) / 1000).toFixed(1)} s`);
  }
} finally {
  await stack.stop();
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const report = [
  "Muster benchmark report",
  `${new Date().toISOString()}  node ${process.version}  ${os.platform()}/${os.arch()}  ${os.cpus().length} x ${cpu}`,
  "Numbers come from this one run on this machine: compare ratios and counts, not absolute times.",
];
for (const section of sections) report.push("", `== ${section.title}`, ...section.lines);
report.push("", `Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(report.join("\n"));
// Exit explicitly, with the run's code: an idle socket left by the driver or autocannon must not keep Node alive.
process.exit(failed ? 1 : 0);
