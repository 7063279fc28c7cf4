// The registered routes and the OpenAPI document match both ways, every operation carries the metadata and
// error responses the contract requires, and the check the harness runs on every reply can fail.

import { describe, expect, it } from "vitest";
import { app } from "../../functions/api";
import type { Reply } from "../harness";
import { type Operation, operationName } from "./contract";
import {
  componentSchemas,
  contract,
  contractProblems,
  document,
  operations,
  resolveRef,
  resolveSchema,
} from "./served-document";

describe("contract: the document and the app", () => {
  it("the registered routes and the document's operations match both ways", () => {
    const fromDocument = new Set(operations.map(operationName));
    const fromApp = new Set(
      app.routes
        .filter((route) => route.method !== "ALL")
        // Hono writes `/:id` (optionally `/:id{regex}`) where the document writes `/{id}`; `:verb` suffixes stay.
        .map((route) => `${route.method} ${route.path.replace(/\/:([A-Za-z0-9_]+)(?:\{[^}]*\})?/g, "/{$1}")}`),
    );
    const undocumented = [...fromApp].filter((pair) => !fromDocument.has(pair)).sort();
    const unhandled = [...fromDocument].filter((pair) => !fromApp.has(pair)).sort();
    expect(undocumented, "routes the app serves that the document does not describe").toEqual([]);
    expect(unhandled, "operations the document describes that no route handles").toEqual([]);
    expect(fromApp.size).toBeGreaterThan(0);
  });

  it("every declared response schema compiles, and the response check refuses what breaks the contract", () => {
    const uncompilable: string[] = [];
    for (const op of operations) {
      for (const [status, declared] of Object.entries<any>(op.operation.responses ?? {})) {
        for (const [media, { schema }] of Object.entries<any>(resolveRef(declared).content ?? {})) {
          try {
            if (schema) contract.validatorFor(op, status, media);
          } catch (error) {
            uncompilable.push(`${operationName(op)} ${status} ${media}: ${String(error)}`);
          }
        }
      }
    }
    expect(uncompilable).toEqual([]);

    // The check itself must be able to fail: a made-up answer for each kind of breach.
    const fake = (status: number, text: string, type = "application/json"): Reply => ({
      status,
      text,
      body: undefined,
      headers: new Headers(text ? { "content-type": type } : {}),
    });
    const error = (code: string) =>
      JSON.stringify({
        error: { code, message: "m", request_id: "req_1", doc_url: `https://api.test.muster/docs/errors#${code}` },
      });
    const withObject = operations.find((op) =>
      Object.entries<any>(op.operation.responses ?? {}).some(
        ([status, declared]) =>
          status.startsWith("2") &&
          (resolveSchema(resolveRef(declared).content?.["application/json"]?.schema).required ?? []).length > 0,
      ),
    );
    const withoutContent = operations.find((op) => op.operation.responses?.["204"]);
    expect(withObject, "an operation answering a JSON object").toBeDefined();
    const success = Object.keys(withObject!.operation.responses).find((status) => status.startsWith("2"))!;
    expect(contractProblems(withObject!, fake(Number(success), "{}")).join()).toMatch(/does not match/);
    expect(contractProblems(withObject!, fake(Number(success), "{}", "text/plain")).join()).toMatch(/not declared/);
    expect(contractProblems(withObject!, fake(418, error("not_found"))).join()).toMatch(/418 is not declared/);
    expect(contractProblems(withObject!, fake(500, error("internal_error"))).join()).toMatch(/server error/);
    expect(contractProblems(withObject!, fake(401, error("conflict"))).join()).toMatch(/belongs to status 409/);
    expect(contractProblems(withObject!, fake(401, error("not_authenticated")))).toEqual([]);
    expect(withoutContent, "an operation answering 204 without content").toBeDefined();
    expect(contractProblems(withoutContent!, fake(204, "null")).join()).toMatch(/declares no content/);
    expect(contractProblems(withoutContent!, fake(204, ""))).toEqual([]);
  });

  it("every operation has an operationId, tags, a summary, x-access and the Error schema on 500 (and 401 unless public)", () => {
    const problems: string[] = [];
    const ids = new Map<string, string>();
    const errorRef = "#/components/schemas/Error";
    const hasErrorSchema = (op: Operation, status: string) => {
      const response = op.operation.responses?.[status];
      return response !== undefined && resolveRef(response).content?.["application/json"]?.schema?.$ref === errorRef;
    };
    expect(componentSchemas.Error, "components.schemas.Error").toBeDefined();
    expect(document.components?.securitySchemes?.bearerAuth, "components.securitySchemes.bearerAuth").toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    for (const op of operations) {
      const name = operationName(op);
      const { operationId, tags, summary, security } = op.operation;
      const access = op.operation["x-access"];
      if (typeof operationId !== "string" || operationId === "") problems.push(`${name}: no operationId`);
      else if (ids.has(operationId))
        problems.push(`${name}: operationId ${operationId} also on ${ids.get(operationId)}`);
      else ids.set(operationId, name);
      if (!Array.isArray(tags) || tags.length === 0) problems.push(`${name}: no tags`);
      if (typeof summary !== "string" || summary.trim() === "") problems.push(`${name}: no summary`);
      if (typeof access?.public !== "boolean") problems.push(`${name}: no x-access.public`);
      if (!hasErrorSchema(op, "500")) problems.push(`${name}: no 500 response with the Error schema`);
      if (access?.public !== true) {
        if (!hasErrorSchema(op, "401")) problems.push(`${name}: not public, but no 401 response with the Error schema`);
        const bearer =
          Array.isArray(security) &&
          security.some((requirement: Record<string, unknown>) => Object.hasOwn(requirement ?? {}, "bearerAuth"));
        if (!bearer) problems.push(`${name}: not public, but its security does not require bearerAuth`);
      }
    }
    expect(problems).toEqual([]);
  });
});
