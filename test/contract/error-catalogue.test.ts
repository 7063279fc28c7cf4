// The contract describes every code of the error catalogue, with its status (the Error schema's code).
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../../functions/platform/errors";
import { call } from "../harness";

describe("the error catalogue in the contract", () => {
  it("lists every code with its status and what it means", async () => {
    const document = await call("GET", "/openapi.json");
    const description: string = document.body.components.schemas.Error.properties.error.properties.code.description;
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(description).toMatch(new RegExp(`^- \`${code}\` \\(${status}\\): \\w`, "m"));
    }
  });
});
