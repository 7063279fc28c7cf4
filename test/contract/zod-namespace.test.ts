import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";

describe("the zod the suites run", () => {
  it("is the Workers' one, without locales, and still speaks English", () => {
    expect("locales" in z).toBe(false);
    expect("locales" in z.core).toBe(false);
    const result = z.object({ name: z.string().min(2) }).safeParse({ name: "a" });
    expect(result.error?.issues[0]?.message).toBe("Too small: expected string to have >=2 characters");
  });
});
