// The error reference: every error body links to its code's row of /docs/errors, which lists every code of the
// catalogue with its status, when it happens and what to do; the document's introduction carries the same list.

import { describe, expect, it } from "vitest";
import { ERROR_GUIDE, ERROR_STATUS } from "../../functions/platform/errors";
import { call } from "../harness";

describe("the error reference", () => {
  it("every error body's doc_url is its code's row of the reference page", async () => {
    const missing = await call("GET", "/v1/no-such-route");
    expect(missing.body.error.doc_url).toBe("https://api.test.muster/docs/errors#not_found");
    const anonymous = await call("GET", "/v1/organisations");
    expect(anonymous.body.error.doc_url).toBe("https://api.test.muster/docs/errors#not_authenticated");
    const page = await call("GET", new URL(anonymous.body.error.doc_url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('<tr id="not_authenticated">');
  });

  it("lists every code of the catalogue, with its status and what to do, on the page and in the document", async () => {
    const page = (await call("GET", "/docs/errors")).text;
    const document = (await call("GET", "/openapi.json")).body;
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const row = new RegExp(`<tr id="${code}">.*?<td>${status}</td>`);
      expect(page, code).toMatch(row);
      expect(document.info.description, code).toContain(`- **\`${code}\`** (${status}): `);
      expect(ERROR_GUIDE[code as keyof typeof ERROR_GUIDE].fix.length, `${code}: what to do`).toBeGreaterThan(20);
    }
  });
});
