// The house rules a dependency graph cannot see (../shared/design/ARCHITECTURE.md): handlers open no
// transactions, every domain verb that opens one writes its audit event, and files stay small. The import
// rules themselves are dependency-cruiser's (.dependency-cruiser.cjs, run by `npm run check`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return name === "migrations" ? [] : sourceFiles(relative);
    // Generated files (the typed client's types, `npm run types`' bindings) are not written by hand.
    const generated = name.endsWith(".generated.d.ts") || name === "worker-configuration.d.ts";
    return name.endsWith(".ts") && !generated ? [relative] : [];
  });
}

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const production = ["functions", "schema", "db"].flatMap(sourceFiles);
/** Every file the repository's code lives in: the suites, their helpers and the benchmarks too. */
const everySource = [...production, ...sourceFiles("test")];
const resourceFiles = sourceFiles("functions").filter((file) => /^functions\/(?!platform\/)[^/]+\//.test(file));

/** The text of each `.transaction(...)` call: from its opening parenthesis to the matching one. */
function transactionBodies(source: string): string[] {
  const bodies: string[] = [];
  for (const match of source.matchAll(/\.transaction\(/g)) {
    const start = (match.index ?? 0) + match[0].length;
    let depth = 1;
    let end = start;
    while (end < source.length && depth > 0) {
      const char = source[end];
      if (char === "(") depth++;
      else if (char === ")") depth--;
      end++;
    }
    bodies.push(source.slice(start, end - 1));
  }
  return bodies;
}

type Source = { file: string; text: string };
const resources: Source[] = resourceFiles.map((file) => ({ file, text: read(file) }));

/** Endpoint files (they define a route) that open a transaction themselves. */
function handlersWithTransactions(sources: Source[]): string[] {
  return sources
    .filter(({ text }) => /\bdefineRoute\(/.test(text) && /\.transaction\(/.test(text))
    .map(({ file }) => file);
}

/**
 * Transactions that record no change. One may also audit through a verb that records the change itself (the
 * webhook's receipt commits with the invitation it creates): such verbs are found, not listed by hand.
 */
function unauditedTransactions(sources: Source[]): string[] {
  const auditingVerbs = sources.flatMap(({ text }) =>
    [...text.matchAll(/export async function (\w+)\([\s\S]*?\n}\n/g)]
      .filter(([body]) => /\brecordChanges?\(/.test(body))
      .map(([, name]) => name as string),
  );
  const audits = new RegExp(`\\b(${["recordChanges?", ...auditingVerbs].join("|")})\\(`);
  return sources.flatMap(({ file, text }) =>
    transactionBodies(text)
      .filter((body) => !audits.test(body))
      .map((body) => `${file}: ${body.slice(0, 80).replace(/\s+/g, " ")}…`),
  );
}

describe("the house rules", () => {
  it("no handler opens a transaction: endpoint files call domain verbs", () => {
    expect(handlersWithTransactions(resources)).toEqual([]);
  });

  it("every domain verb that opens a transaction writes its audit event in it", () => {
    expect(unauditedTransactions(resources)).toEqual([]);
  });

  it(`no source file passes ${MAX_LINES} lines`, () => {
    const long = everySource
      .map((file) => ({ file, lines: read(file).split("\n").length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });

  it("the checks can fail: a handler's transaction, and a verb's transaction without its audit event, are found", () => {
    const handler = {
      file: "functions/things/create.ts",
      text: "export const route = defineRoute({});\nawait ctx.db.transaction(async (tx) => { await tx.insert(things); });",
    };
    const verb = {
      file: "functions/things/service.ts",
      text: "export async function createThing(ctx) {\n  return ctx.db.transaction(async (tx) => tx.insert(things));\n}\n",
    };
    const audited = {
      file: "functions/things/service.ts",
      text: "export async function createThing(ctx) {\n  return ctx.db.transaction(async (tx) => { await recordChange(tx, ctx, {}); });\n}\n",
    };
    const throughVerb = { file: "functions/other/service.ts", text: "await db.transaction((tx) => createThing(tx));" };
    expect(handlersWithTransactions([handler, verb])).toEqual([handler.file]);
    expect(unauditedTransactions([verb])).toHaveLength(1);
    expect(unauditedTransactions([audited])).toEqual([]);
    expect(unauditedTransactions([audited, throughVerb])).toEqual([]);
    expect(unauditedTransactions([verb, throughVerb])).toHaveLength(2);
    const batch = { ...audited, text: audited.text.replace("recordChange(", "recordChanges(") };
    expect(unauditedTransactions([batch])).toEqual([]);
  });
});
