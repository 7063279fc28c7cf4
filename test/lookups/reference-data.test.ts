// GET /v1/currencies and /v1/countries: public, whole ISO lists, cacheable (Cache-Control public, a strong ETag
// of the exact body, 304 on a matching If-None-Match by weak comparison, lists and `*`).
import { describe, expect, it } from "vitest";
import { noneMatchHits } from "../../functions/platform/caching";
import { call } from "../harness";

const get = (path: string, headers: Record<string, string> = {}) => call("GET", path, { headers });

describe("currencies", () => {
  it("lists ISO 4217 currencies with their minor units, sorted by code, whole, without a token", async () => {
    const reply = await get("/v1/currencies");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    const byCode = new Map(reply.body.data.map((c: { code: string }) => [c.code, c]));
    expect(byCode.get("EUR")).toEqual({ code: "EUR", name: "Euro", minor_units: 2 });
    expect(byCode.get("JPY")).toMatchObject({ minor_units: 0 });
    expect(byCode.get("BHD")).toMatchObject({ minor_units: 3 });
    // Not money: gold and the test code.
    expect(byCode.has("XAU")).toBe(false);
    expect(byCode.has("XTS")).toBe(false);
    const codes = reply.body.data.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes.length).toBeGreaterThan(150);
  });
});

describe("countries", () => {
  it("lists ISO 3166-1 countries with alpha-3 and currency, sorted by code", async () => {
    const reply = await get("/v1/countries");
    expect(reply.status).toBe(200);
    const byCode = new Map(reply.body.data.map((c: { code: string }) => [c.code, c]));
    expect(byCode.get("DE")).toEqual({ code: "DE", alpha3: "DEU", name: "Germany", currency: "EUR" });
    expect(byCode.get("JP")).toMatchObject({ alpha3: "JPN", currency: "JPY" });
    expect(byCode.get("US")).toMatchObject({ alpha3: "USA", currency: "USD" });
    const codes = reply.body.data.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes.length).toBeGreaterThan(240);
  });
});

describe.each(["/v1/currencies", "/v1/countries"])("caching of %s", (path) => {
  it("is public for an hour, with a strong ETag that stays the same between requests", async () => {
    const [one, two] = [await get(path), await get(path)];
    expect(one.headers.get("cache-control")).toBe("public, max-age=3600");
    const tag = one.headers.get("etag");
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(two.headers.get("etag")).toBe(tag);
  });

  it("answers 304 without a body to a matching If-None-Match: exact, weak, in a list, or *", async () => {
    const tag = (await get(path)).headers.get("etag")!;
    for (const header of [tag, `W/${tag}`, `"nope", ${tag}`, `${tag},"other"`, " * "]) {
      const reply = await get(path, { "if-none-match": header });
      expect(reply.status, header).toBe(304);
      expect(reply.text).toBe("");
      expect(reply.headers.get("etag")).toBe(tag);
      expect(reply.headers.get("cache-control")).toBe("public, max-age=3600");
    }
  });

  it("answers 200 in full to a stale, malformed or unquoted If-None-Match", async () => {
    const tag = (await get(path)).headers.get("etag")!;
    for (const header of ['"stale"', tag.slice(1, -1), `${tag.slice(0, -2)}"`, "W/", ",,", `x${tag}`]) {
      const reply = await get(path, { "if-none-match": header });
      expect(reply.status, header).toBe(200);
      expect(reply.body.data.length).toBeGreaterThan(100);
    }
  });

  it("an error from it is not stored: no-store (a bad token is ignored on a public route)", async () => {
    const reply = await call("GET", path, { token: "not-a-token" });
    expect(reply.status).toBe(200);
    const tooLong = await get(path, { "if-none-match": `"${"x".repeat(5000)}"` });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get("cache-control")).toBe("no-store");
    expect(tooLong.headers.get("etag")).toBeNull();
  });
});

describe("the two lists", () => {
  it("have different ETags, and one list's tag is no match for the other", async () => {
    const currencies = (await get("/v1/currencies")).headers.get("etag")!;
    const countries = (await get("/v1/countries")).headers.get("etag")!;
    expect(currencies).not.toBe(countries);
    expect((await get("/v1/countries", { "if-none-match": currencies })).status).toBe(200);
  });

  it("authenticated responses elsewhere stay no-store", async () => {
    const reply = await call("GET", "/v1/organisations", { token: "x" });
    expect(reply.status).toBe(401);
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });
});

describe("If-None-Match matching (RFC 9110 weak comparison)", () => {
  it.each([
    ['"a"', '"a"', true],
    ['W/"a"', '"a"', true],
    ['"a"', 'W/"a"', true],
    ['"b", W/"a"', '"a"', true],
    ["*", '"a"', true],
    ['"a,b", "c"', '"a,b"', true],
    ['"ab"', '"a"', false],
    ["a", '"a"', false],
    ['"A"', '"a"', false],
    ["", '"a"', false],
  ] as const)("%j against %s: %s", (header, tag, hit) => {
    expect(noneMatchHits(header, tag)).toBe(hit);
  });

  it("no header is no match", () => {
    expect(noneMatchHits(undefined, '"a"')).toBe(false);
  });
});
