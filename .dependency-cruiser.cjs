// The house rules of ../shared/design/ARCHITECTURE.md, checked by `npm run check` (dependency-cruiser).
// Dependencies point one way: endpoint files → their resource's domain → platform/ → schema/.
const { readdirSync, readFileSync, statSync } = require("node:fs");
const path = require("node:path");

/** Endpoint files are the ones that define a route: only their own resource's router may import them. */
function endpointFiles() {
  const root = path.join(__dirname, "functions");
  const found = [];
  for (const folder of readdirSync(root)) {
    const dir = path.join(root, folder);
    if (folder === "platform" || !statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith(".ts") && /\bdefineRoute\(/.test(readFileSync(path.join(dir, file), "utf8"))) {
        found.push(`functions/${folder}/${file}`);
      }
    }
  }
  return found;
}
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const endpoints = endpointFiles();

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle means two pieces can no longer be read, tested or deployed apart.",
      from: {},
      to: { circular: true },
    },
    {
      name: "platform-knows-no-resource",
      severity: "error",
      comment: "platform/ is the one home of cross-cutting code: a resource hands it hooks, it never imports one.",
      from: { path: "^functions/platform/" },
      to: { path: "^functions/", pathNot: "^functions/platform/" },
    },
    ...endpoints.map((file) => ({
      name: "endpoint-files-stay-in-their-resource",
      severity: "error",
      comment:
        "A resource uses another through its domain verbs or schemas, never through an endpoint file; only the " +
        "resource's own router (index.ts) registers its endpoints.",
      from: { pathNot: `^${escapeRegex(path.posix.dirname(file))}/index\\.ts$` },
      to: { path: `^${escapeRegex(file)}$` },
    })),
    {
      name: "env-holds-bindings-only",
      severity: "error",
      comment: "platform/env.ts describes the bindings; it depends on nothing of ours, so nothing cycles through it.",
      from: { path: "^functions/platform/env\\.ts$" },
      to: { path: "^(functions|schema|db)/" },
    },
    {
      name: "schema-is-the-bottom",
      severity: "error",
      comment: "schema/ is what everything builds on; it imports nothing of ours but itself.",
      from: { path: "^schema/" },
      to: { path: "^(functions|db|test)/" },
    },
    {
      name: "workers-ship-no-dev-code",
      severity: "error",
      comment: "The Workers never import the local stack, seeds or tests (they would ship in the bundle).",
      from: { path: "^functions/" },
      to: { path: "^(db|test)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // The generated binding types only describe globals (their `mainModule` names the gateway for the runtime).
    exclude: { path: ["^(node_modules|\\.wrangler|dist|\\.data|\\.config)/", "worker-configuration\\.d\\.ts$"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
