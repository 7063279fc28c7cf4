// The README's configuration table lists every variable and binding the code reads: the ones wrangler.toml
// declares (generated into worker-configuration.d.ts) and the secrets and local-only ones of env.ts.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

function variablesInCode(): string[] {
  const generated = read("functions/platform/worker-configuration.d.ts");
  const declared = [...generated.matchAll(/^\t\t([A-Z][A-Z0-9_]+)\??:/gm)].map((match) => match[1] as string);
  const env = read("functions/platform/env.ts");
  const local = [...env.matchAll(/^\s+([A-Z][A-Z0-9_]+)\??:/gm)].map((match) => match[1] as string);
  return [...new Set([...declared, ...local])].sort();
}

function variablesInReadme(): string[] {
  const readme = read("README.md");
  const section = readme.slice(
    readme.indexOf("## Configuration"),
    readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5),
  );
  const firstCells = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split(" | ")[0] as string);
  return [
    ...new Set(
      firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string)),
    ),
  ];
}

describe("the configuration table", () => {
  it("lists every variable and binding the code reads", () => {
    const documented = new Set(variablesInReadme());
    expect(variablesInCode().length).toBeGreaterThan(20);
    expect(variablesInCode().filter((name) => !documented.has(name))).toEqual([]);
  });

  it("lists nothing the code does not read", () => {
    const inCode = new Set(variablesInCode());
    expect(variablesInReadme().filter((name) => !inCode.has(name))).toEqual([]);
  });
});
