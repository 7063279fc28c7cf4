import { describe, expect, it } from "vitest";
import * as zod from "zod";
import * as shipped from "../../functions/platform/zod/index";

const without = (keys: string[], name: string) => keys.filter((key) => key !== name).sort();

// functions/platform/zod mirrors zod's index by hand; when a zod upgrade adds or drops an export, this says so.
describe("zod without locales", () => {
  it("exports all of zod but locales", () => {
    expect(Object.keys(shipped).sort()).toEqual(without(Object.keys(zod), "locales"));
    expect(Object.keys(shipped.z).sort()).toEqual(without(Object.keys(zod.z), "locales"));
  });

  it("and all of zod's core but locales", () => {
    expect(Object.keys(shipped.core).sort()).toEqual(without(Object.keys(zod.core), "locales"));
  });

  it("shares zod's classes, so schemas built from either are one kind", () => {
    expect(shipped.ZodType).toBe(zod.ZodType);
    expect(shipped.z.string().parse("x")).toBe("x");
  });
});
