// First contact: GET / answers with where to go next, and each link works.

import { describe, expect, it } from "vitest";
import { call } from "../harness";

describe("GET /", () => {
  it("links to the reference, the document, the error reference, the health check and the catalog, all live", async () => {
    const root = await call("GET", "/");
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ name: "Muster API", version: expect.any(String) });
    expect(Object.keys(root.body.links).sort()).toEqual(["catalog", "docs", "errors", "health", "openapi"]);
    for (const [name, url] of Object.entries<string>(root.body.links)) {
      expect(url, name).toMatch(/^https:\/\/api\.test\.muster\//);
      expect((await call("GET", new URL(url).pathname)).status, name).toBe(200);
    }
  });
});
