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
    return name.endsWith(".ts") ? [relative] : [];
  });
}

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const production = ["functions", "schema", "db"].flatMap(sourceFiles);
/** Every file the repository's code lives in: the suites, their helpers and the benchmarks too. */
const everySource = [...production, ...sourceFiles("test")];
const resourceFiles = sourceFiles("functions").filter((file) => /^functions\/(?!platform\/)[^/]+\//.test(file));
const isEndpoint = (file: string) => /\bdefineRoute\(/.test(read(file));

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

describe("the house rules", () => {
  it("no handler opens a transaction: endpoint files call domain verbs", () => {
    const offenders = resourceFiles.filter((file) => isEndpoint(file) && /\.transaction\(/.test(read(file)));
    expect(offenders).toEqual([]);
  });

  it("every domain verb that opens a transaction writes its audit event in it", () => {
    // A transaction may also audit through a verb that records the change itself (the webhook's receipt
    // commits with the invitation it creates): such verbs are found, not listed by hand.
    const auditingVerbs = resourceFiles.flatMap((file) =>
      [...read(file).matchAll(/export async function (\w+)\([\s\S]*?\n}\n/g)]
        .filter(([text]) => /\brecordChange\(/.test(text))
        .map(([, name]) => name as string),
    );
    const audits = new RegExp(`\\b(recordChange|${auditingVerbs.join("|")})\\(`);
    const offenders = resourceFiles.flatMap((file) =>
      transactionBodies(read(file))
        .filter((body) => !audits.test(body))
        .map((body) => `${file}: ${body.slice(0, 80).replace(/\s+/g, " ")}…`),
    );
    expect(offenders).toEqual([]);
  });

  it(`no source file passes ${MAX_LINES} lines`, () => {
    const long = everySource
      .map((file) => ({ file, lines: read(file).split("\n").length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });

  it("the checks above can fail: a transaction without its audit event is found", () => {
    const bodies = transactionBodies("await db.transaction(async (tx) => { await tx.insert(x).values(f(y)); });");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toMatch(/recordChange\(/);
  });
});
