import { expect } from "vitest";
import { organisations } from "../../schema";
import { type Reply, withDb } from "../harness";

export const ALLOWED_ORIGIN = "https://app.example.com";
export const UNREACHABLE_DATABASE = "postgres://muster:muster@localhost:1/none";

/** An error in the one envelope, whose request id is the response's X-Request-Id. */
export function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  expect(reply.body?.error?.code, reply.text).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  expect(reply.body.error.request_id).toMatch(/^req_/);
  expect(reply.body.error.request_id).toBe(reply.headers.get("x-request-id"));
}

export const allowHeader = (reply: Reply) =>
  (reply.headers.get("allow") ?? "")
    .split(",")
    .map((method) => method.trim())
    .filter(Boolean)
    .sort();

export async function organisationCount(): Promise<number> {
  return withDb(async (db) => (await db.select({ id: organisations.id }).from(organisations)).length);
}
