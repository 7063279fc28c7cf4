// The typed client's generated types (test/client/muster-api.generated.d.ts) are those of the current document:
// regenerated here the way `npm run client:types` makes them, and compared.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the typed client's types", () => {
  it("match the document (run `npm run client:types` after changing a route)", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "muster-client-"));
    try {
      const document = path.join(scratch, "openapi.json");
      const types = path.join(scratch, "types.d.ts");
      execFileSync(process.execPath, ["--import", "tsx", "db/local/openapi.ts", document], {
        cwd: ROOT,
        stdio: "pipe",
      });
      execFileSync(
        process.execPath,
        ["node_modules/openapi-typescript/bin/cli.js", document, "--default-non-nullable", "false", "--output", types],
        { cwd: ROOT, stdio: "pipe" },
      );
      const committed = readFileSync(path.join(ROOT, "test/client/muster-api.generated.d.ts"), "utf8");
      expect(readFileSync(types, "utf8") === committed, "stale: run `npm run client:types`").toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});
