// Requests through the real app inside workerd, each reply checked against the contract.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import gateway from "../../functions/gateway";
import { expectWithinContract } from "../contract/contract";
import { type TestEnv, testEnv } from "./env";

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (no JSON encoding, no content type unless given in headers). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Run the app with these bindings instead of the test environment's. */
  env?: Partial<TestEnv>;
  /**
   * Skip the check of the reply against the operation's declared responses. Only for a reply the test checks
   * itself against the contract, or one the contract cannot describe; say why beside it.
   */
  unchecked?: boolean;
}

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`https://api.test.muster${path}`, { method, headers, body });
  // Each request gets its own execution context, drained before the next (the pool is closed in waitUntil), once
  // its body is read: a streamed body (an export) is written by work its waitUntil holds.
  const ctx = createExecutionContext();
  const response = await gateway.fetch!(request as never, { ...testEnv, ...options.env } as never, ctx);
  // Bytes, then UTF-8: workerd warns when .text() reads a body whose media type it does not know as text (NDJSON).
  const text = new TextDecoder().decode(await response.arrayBuffer());
  await waitOnExecutionContext(ctx);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const reply = { status: response.status, body: parsed as T, text, headers: response.headers };
  if (!options.unchecked) expectWithinContract(request.method, request.url, reply);
  return reply;
}
