// The deployable bundles of the Workers (`wrangler deploy --dry-run`, as a deploy would build them) and the
// Miniflare options to run one, for the Node suites and the bench that need the real thing rather than the
// test pool's build.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { unstable_readConfig } from "wrangler";

const run = promisify(execFile);

const ROOT = new URL("..", import.meta.url).pathname;

/** The runtime the bundles are deployed on: wrangler.toml's compatibility date and flags. */
const deployed = unstable_readConfig({ config: path.join(ROOT, "wrangler.toml") }, { hideWarnings: true });

/**
 * The `--env` of a Worker: the gateway is the top level, named by the empty environment (without one, wrangler
 * warns that a config with environments was deployed without saying which).
 */
export const envArgument = (environment: string | null) => `--env=${environment ?? ""}`;

/** Bundles the gateway (`null`) or one `[env.*]` Worker into a folder of `outdir`; returns that folder. */
export async function bundleWorker(outdir: string, environment: string | null): Promise<string> {
  const into = path.join(outdir, environment ?? "gateway");
  const args = ["wrangler", "deploy", "--dry-run", "--outdir", into, envArgument(environment)];
  // BUNDLE_UNMINIFIED=1: readable names in a profile (EXPORT_PROFILE); sizes are then not the deployed ones.
  if (process.env.BUNDLE_UNMINIFIED) args.push("--minify=false");
  await run("npx", args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: path.join(outdir, "config") },
  });
  return into;
}

/** Miniflare options for a bundle: its modules as wrangler wrote them (the docs viewer is an asset, not here). */
export const bundledWorker = (name: string, directory: string, main: string, bindings: Record<string, string>) => ({
  name,
  modules: true,
  modulesRoot: directory,
  scriptPath: path.join(directory, main),
  compatibilityDate: deployed.compatibility_date,
  compatibilityFlags: deployed.compatibility_flags,
  bindings,
});
