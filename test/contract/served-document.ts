// The document the app serves, fetched through the app at collection time, and the contract compiled from it:
// the contract tests and their generators all read this one copy.

import { call, type Reply } from "../harness";
import { Contract, type Operation, type Schema } from "./contract";

const served = await call("GET", "/openapi.json");
if (served.status !== 200 || typeof served.body !== "object") {
  throw new Error(`GET /openapi.json answered ${served.status}: ${served.text.slice(0, 500)}`);
}
export const document: any = served.body;
export const contract = new Contract(document);
export const componentSchemas: Record<string, Schema> = document.components?.schemas ?? {};
export const operations = contract.operations;
export const resolveRef = (value: any): any => contract.resolveRef(value);
export const resolveSchema = (schema: Schema | undefined): Schema => contract.resolveSchema(schema);

/** What is wrong with a response to malformed input: what the contract says, and no 5xx whatever it declares. */
export function contractProblems(op: Operation, reply: Reply): string[] {
  const serverError = reply.status >= 500 ? [`status ${reply.status} is a server error (no input may cause one)`] : [];
  return [...serverError, ...contract.problems(op, reply)];
}
