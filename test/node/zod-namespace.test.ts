import { describe, expect, it } from "vitest";
import * as zod from "zod";
import * as shipped from "../../functions/platform/zod/index";

/** What functions/platform/zod leaves out of zod's namespaces (why: its index.ts). */
const COMPILER = ["compile", "INVALID", "withParser", "ZodCompileAsyncError", "ZodCompileUnsupportedError"];
const LEFT_OUT = ["locales", "fromJSONSchema", ...COMPILER];
const LEFT_OUT_OF_CORE = ["locales", "compileFn", ...COMPILER];
const without = (keys: string[], leftOut: string[]) => keys.filter((key) => !leftOut.includes(key)).sort();

// functions/platform/zod mirrors zod's index by hand; when a zod upgrade adds or drops an export, this says so.
describe("zod without locales or the schema compiler", () => {
  it("exports all of zod but what it declares it leaves out", () => {
    expect(Object.keys(shipped).sort()).toEqual(without(Object.keys(zod), LEFT_OUT));
    expect(Object.keys(shipped.z).sort()).toEqual(without(Object.keys(zod.z), LEFT_OUT));
  });

  it("and all of zod's core but the same", () => {
    expect(Object.keys(shipped.core).sort()).toEqual(without(Object.keys(zod.core), LEFT_OUT_OF_CORE));
  });

  it("shares zod's classes, so schemas built from either are one kind", () => {
    expect(shipped.ZodType).toBe(zod.ZodType);
    expect(shipped.z.string().parse("x")).toBe("x");
  });
});
