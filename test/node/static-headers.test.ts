// The static files served before the Worker get their headers from assets/_headers, the same files served by the
// gateway's routes get them from functions/meta/static-headers.ts: the two agree, for every file wrangler.toml
// lets Cloudflare serve first.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STATIC_HEADERS } from "../../functions/meta/static-headers";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** `_headers`: a path on its own line, then its indented `Name: value` lines; `#` starts a comment. */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      current = {};
      rules[line.trim()] = current;
      continue;
    }
    const colon = line.indexOf(":");
    if (!current || colon < 0) throw new Error(`_headers: a header line outside a rule: ${line}`);
    current[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return rules;
}

/** wrangler.toml's `run_worker_first` exceptions: the paths Cloudflare serves from the assets first. */
function servedFirst(): string[] {
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const list = /^run_worker_first = \[(.*)\]$/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"!([^"]+)"/g)].map((match) => match[1] as string).sort();
}

describe("headers of the static files served before the Worker", () => {
  const rules = parseHeadersFile(readFileSync(path.join(ROOT, "functions/meta/assets/_headers"), "utf8"));

  it("name every file served first, and only those", () => {
    expect(servedFirst().length).toBeGreaterThan(0);
    expect(Object.keys(rules).sort()).toEqual(servedFirst());
    expect(Object.keys(STATIC_HEADERS).sort()).toEqual(servedFirst());
  });

  it("are the ones the gateway's routes give the same files", () => {
    expect(rules).toEqual(STATIC_HEADERS);
  });

  it("the parser reads a rule and refuses a header outside one", () => {
    expect(parseHeadersFile("/a\n  X-One: 1\n# note\n/b\n  X-Two: a: b\n")).toEqual({
      "/a": { "X-One": "1" },
      "/b": { "X-Two": "a: b" },
    });
    expect(() => parseHeadersFile("  X-One: 1\n")).toThrow(/outside a rule/);
  });
});
