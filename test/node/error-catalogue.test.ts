// The error catalogue tells the truth: every code in it is raised somewhere outside the catalogue itself (the
// contract describing each one: test/contract/error-catalogue.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../../functions/platform/errors";

const FUNCTIONS = path.resolve(import.meta.dirname, "../../functions");
const sources = (readdirSync(FUNCTIONS, { recursive: true }) as string[])
  .filter((file) => file.endsWith(".ts") && file !== path.join("platform", "errors.ts"))
  .map((file) => readFileSync(path.join(FUNCTIONS, file), "utf8"))
  .join("\n");

describe("the error catalogue", () => {
  it.each(Object.keys(ERROR_STATUS))("%s is raised by some code outside the catalogue", (code) => {
    expect(sources).toMatch(new RegExp(`["'\`]${code}["'\`]`));
  });
});
