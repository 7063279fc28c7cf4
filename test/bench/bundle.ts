// Bundle size of each Worker: `wrangler deploy --dry-run --outdir` (nothing is uploaded), then the bytes of the
// modules written to the output directory, raw and gzipped file by file. The source map goes up beside the script
// (upload_source_maps) but is not part of its size, and is listed apart; wrangler's README.md there is not uploaded.
// Wrangler's own "Total Upload" line is shown next to ours as a cross-check, and is what the targets (issue 13)
// are judged on: gzip ≤ 300 KiB for the gateway, ≤ 150 KiB for each resource's Worker.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../../db/paths";
import { envArgument } from "../worker-bundles";
import { type BenchStack, type Section, table } from "./setup";

/** The gateway (the top level, `--env=""`) and each resource's Worker: every `[env.<name>]` of wrangler.toml, so none is missed. */
const WORKERS: (string | null)[] = [
  null,
  ...[...readFileSync(path.join(ROOT, "wrangler.toml"), "utf8").matchAll(/^\[env\.([\w-]+)\]/gm)].map(
    (m) => m[1] as string,
  ),
];

/** Runs the dry run (of wrangler.toml's `env`, or of another config) and returns its "Total Upload: …" line. */
function dryRun(outdir: string, env: string | null, config?: string): Promise<string> {
  const args = [
    "wrangler",
    "deploy",
    "--dry-run",
    "--outdir",
    outdir,
    ...(config ? ["--config", config] : [envArgument(env)]),
  ];
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn("npx", args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(ROOT, ".config"), WRANGLER_SEND_METRICS: "false" },
    });
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(/Total Upload: ([^\n]*)/.exec(output)?.[1]?.trim() ?? "?")
        : reject(new Error(`npx ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

interface Sizes {
  modules: number;
  bytes: number;
  gzip: number;
  mapBytes: number;
}

function sizes(dir: string): Sizes {
  const result: Sizes = { modules: 0, bytes: 0, gzip: 0, mapBytes: 0 };
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile() || name === "README.md") continue;
    const content = readFileSync(file);
    if (name.endsWith(".map")) {
      result.mapBytes += content.length;
      continue;
    }
    result.modules++;
    result.bytes += content.length;
    result.gzip += gzipSync(content, { level: 9 }).length;
  }
  return result;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const TARGET_KIB = { gateway: 300, resource: 150 };

/** "over" or "ok" against the target, from wrangler's "… KiB / gzip: N KiB". */
function verdict(reported: string, targetKib: number): string {
  const gzip = Number(/gzip: ([\d.]+) KiB/.exec(reported)?.[1]);
  if (!Number.isFinite(gzip)) return "?";
  return gzip <= targetKib ? "ok" : `OVER by ${(gzip - targetKib).toFixed(1)} KiB`;
}

/**
 * The fixed stack without any of our code (./stack-floor.ts), built as the Workers are: the same compatibility
 * date and flags, minified, zod through the same alias.
 */
async function stackFloor(stack: BenchStack): Promise<{ reported: string; size: Sizes }> {
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const setting = (name: string) => new RegExp(`^${name} = (.*)$`, "m").exec(toml)?.[1] ?? "";
  const dir = path.join(stack.tmpDir, "bundles", "stack-floor");
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "wrangler.toml");
  writeFileSync(
    config,
    [
      'name = "stack-floor"',
      `main = ${JSON.stringify(path.join(ROOT, "test/bench/stack-floor.ts"))}`,
      `compatibility_date = ${setting("compatibility_date")}`,
      `compatibility_flags = ${setting("compatibility_flags")}`,
      "minify = true",
      "[alias]",
      `"zod" = ${JSON.stringify(path.join(ROOT, "functions/platform/zod/index.ts"))}`,
    ].join("\n"),
  );
  const outdir = path.join(dir, "out");
  const reported = await dryRun(outdir, null, config);
  return { reported, size: sizes(outdir) };
}

export async function bundleSizes(stack: BenchStack): Promise<Section> {
  const rows: (string | number)[][] = [
    [
      "worker",
      "modules",
      "bytes",
      "gzip bytes",
      "size / gzip",
      "wrangler: total upload / gzip",
      "target (gzip)",
      "verdict",
      "source map (apart)",
    ],
  ];
  for (const env of WORKERS) {
    const name = env ?? "gateway";
    const outdir = path.join(stack.tmpDir, "bundles", name);
    const reported = await dryRun(outdir, env);
    const size = sizes(outdir);
    const target = env ? TARGET_KIB.resource : TARGET_KIB.gateway;
    rows.push([
      `${name} (${envArgument(env)})`,
      size.modules,
      size.bytes,
      size.gzip,
      `${kib(size.bytes)} / ${kib(size.gzip)}`,
      reported,
      `${target} KiB`,
      verdict(reported, target),
      size.mapBytes,
    ]);
  }
  const floor = await stackFloor(stack);
  rows.push([
    "the fixed stack alone (test/bench/stack-floor.ts)",
    floor.size.modules,
    floor.size.bytes,
    floor.size.gzip,
    `${kib(floor.size.bytes)} / ${kib(floor.size.gzip)}`,
    floor.reported,
    `${TARGET_KIB.resource} KiB`,
    verdict(floor.reported, TARGET_KIB.resource),
    floor.size.mapBytes,
  ]);
  return {
    title: "Bundle size per Worker (wrangler deploy --dry-run --outdir; gzip -9 per module, summed)",
    lines: [
      ...table(rows),
      "",
      "The reference viewer's script is a static asset ([assets]), not a module. The last row is one route on",
      "hono + @hono/zod-openapi + zod + drizzle + the Neon driver + jose and nothing of ours: what every Worker",
      "carries before its own code, against the resource Workers' target.",
    ],
  };
}
