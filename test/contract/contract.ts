// The response contract of an OpenAPI document, compiled with ajv: which operation a request is for, and what
// is wrong with a reply to it. The harness checks every `call` against the gateway's document
// (`expectWithinContract`); the contract property tests use the same checks on the document the app serves.
//
// Validation is strict: the schemas are compiled closed (closed-schemas.ts), so a renamed or unexpected field
// fails instead of passing an absence check.
//
// ajv compiles validators with `new Function`; the vitest pool for workerd allows code generation (a deployed
// Worker would refuse it), so this runs inside workerd only.

import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { app } from "../../functions/api";
import { ERROR_STATUS } from "../../functions/platform/errors";
import { documentOf } from "../../functions/platform/openapi";
import { closedSchema, extensionKeywords, mapValues, OPEN_ID, type Schema, STRICT_ID } from "./closed-schemas";

export type { Schema };

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  operation: any;
  parameters: Parameter[];
}

/** What the contract looks at in a reply. */
export interface ReplyLike {
  status: number;
  text: string;
  headers: Headers;
}

export const operationName = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path}`;

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"] as const;

const mediaTypeOf = (header: string | null) => (header ?? "").split(";")[0]!.trim().toLowerCase();
export const isJsonMedia = (media: string) => /^application\/(?:[\w.+-]+\+)?json$/.test(media);

/** One unmet expectation of ajv, said plainly (which property is unknown or missing, where). */
function describeError(error: ErrorObject): string {
  const at = `body${error.instancePath}`;
  switch (error.keyword) {
    case "additionalProperties":
      return `${at}: unknown property "${error.params.additionalProperty}"`;
    case "unevaluatedProperties":
      return `${at}: unknown property "${error.params.unevaluatedProperty}"`;
    case "required":
      return `${at}: missing required property "${error.params.missingProperty}"`;
    default:
      return `${at} ${error.message}`;
  }
}

export class Contract {
  readonly operations: Operation[] = [];
  private readonly ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly patterns: { regex: RegExp; op: Operation }[];

  constructor(readonly document: any) {
    for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        // Path-level parameters apply unless the operation overrides them (same name and location).
        const byKey = new Map<string, Parameter>();
        for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
          const resolved = this.resolveRef(parameter) as Parameter;
          byKey.set(`${resolved.in}:${resolved.name}`, resolved);
        }
        this.operations.push({ method: method.toUpperCase(), path, operation, parameters: [...byKey.values()] });
      }
    }
    // Literal paths before templated ones; a parameter never spans `/` or `:` (`/things/{id}:verb`).
    this.patterns = [...this.operations]
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))
      .map((op) => {
        const source = op.path
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith("{") ? "[^/:]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
          .join("");
        return { regex: new RegExp(`^${source}/?$`), op };
      });

    addFormats(this.ajv);
    // Annotations, not JSON Schema keywords: OpenAPI's `example` and every `x-` extension the schemas carry.
    this.ajv.addVocabulary(["example", ...extensionKeywords(document)]);
    const components: Schema = document.components?.schemas ?? {};
    this.ajv.addSchema({ $id: STRICT_ID, $defs: mapValues(components, (schema) => this.closed(schema)) });
    this.ajv.addSchema({ $id: OPEN_ID, $defs: mapValues(components, (schema) => this.closed(schema, true)) });
  }

  /** Follows local `$ref`s (`#/components/...`) to the object they name. */
  resolveRef(value: any): any {
    let current = value;
    for (let hops = 0; current && typeof current.$ref === "string"; hops++) {
      if (hops > 32) throw new Error(`$ref cycle at ${value.$ref}`);
      const match = /^#\/components\/([^/]+)\/(.+)$/.exec(current.$ref);
      if (!match) throw new Error(`unsupported $ref ${current.$ref}`);
      const target = this.document.components?.[match[1]!]?.[decodeURIComponent(match[2]!)];
      if (target === undefined) throw new Error(`dangling $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  resolveSchema(schema: Schema | undefined): Schema {
    return schema ? this.resolveRef(schema) : {};
  }

  /** The operation a request is for: method and path (percent-encoded, as sent; no query), trailing `/` or not. */
  operationFor(method: string, path: string): Operation | undefined {
    const upper = method.toUpperCase();
    return this.patterns.find(({ regex, op }) => op.method === upper && regex.test(path))?.op;
  }

  /** The compiled, closed validator of a declared response (cached per operation, status and media type). */
  validatorFor(op: Operation, status: string, media: string): ValidateFunction | undefined {
    const key = `${operationName(op)} ${status} ${media}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = this.resolveRef(op.operation.responses?.[status])?.content?.[media]?.schema;
      if (!schema) return undefined;
      validate = this.ajv.compile(this.closed(schema) as Schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** What is wrong with a reply to an operation, measured against its declared responses; empty when nothing. */
  problems(op: Operation, reply: ReplyLike): string[] {
    const status = reply.status;
    const responses = op.operation.responses ?? {};
    const statusKey = [String(status), `${String(status)[0]}XX`, "default"].find((key) => responses[key]);
    if (!statusKey) return [`status ${status} is not declared (declared: ${Object.keys(responses).join(", ")})`];
    const content: Record<string, { schema?: Schema }> = this.resolveRef(responses[statusKey]).content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      return reply.text === "" ? [] : [`status ${status} declares no content, but the body is not empty`];
    }
    const media = mediaTypeOf(reply.headers.get("content-type"));
    const declaredMedia = mediaTypes.find((type) => type.toLowerCase() === media);
    if (!declaredMedia) {
      return [`content type "${media}" is not declared for ${status} (declared: ${mediaTypes.join(", ")})`];
    }
    const validate = this.validatorFor(op, statusKey, declaredMedia);
    if (!validate) return [];
    const schema = content[declaredMedia]!.schema!;
    let instance: unknown = reply.text;
    if (isJsonMedia(media)) {
      try {
        instance = JSON.parse(reply.text);
      } catch {
        return [`the body is not JSON although it is sent as ${media}`];
      }
    }
    const problems: string[] = [];
    if (!validate(instance)) {
      const name = schema.$ref ? String(schema.$ref).split("/").at(-1) : "the declared schema";
      const details = [...new Set((validate.errors ?? []).map(describeError))];
      problems.push(`the body does not match ${name}: ${details.join("; ")}`);
    }
    // Error envelopes: the code belongs to the status it is sent with (one closed catalogue).
    const code = (instance as any)?.error?.code;
    if (status >= 400 && typeof code === "string" && code in ERROR_STATUS) {
      const expected = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
      if (expected !== status) problems.push(`error code "${code}" belongs to status ${expected}, not ${status}`);
    }
    return problems;
  }

  /**
   * What is wrong with the reply to a request, if the request is for an operation of the document. A request
   * for no operation (an unknown path, a method the path does not serve) is only held to the error envelope.
   */
  replyProblems(method: string, path: string, reply: ReplyLike): { operation: string; problems: string[] } {
    const op = this.operationFor(method, path);
    if (op) return { operation: operationName(op), problems: this.problems(op, reply) };
    const unmatched = { operation: `${method.toUpperCase()} ${path} (no operation)`, problems: [] as string[] };
    const media = mediaTypeOf(reply.headers.get("content-type"));
    if (reply.status < 400 || !isJsonMedia(media)) return unmatched;
    let validate = this.validators.get("Error");
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${STRICT_ID}#/$defs/Error` });
      this.validators.set("Error", validate);
    }
    let instance: unknown;
    try {
      instance = JSON.parse(reply.text);
    } catch {
      return { ...unmatched, problems: [`the body is not JSON although it is sent as ${media}`] };
    }
    if (!validate(instance)) {
      const details = [...new Set((validate.errors ?? []).map(describeError))];
      unmatched.problems.push(`the body does not match Error: ${details.join("; ")}`);
    }
    return unmatched;
  }

  /** A closed copy of a schema (closed-schemas.ts), resolving its `allOf` members in this document. */
  private closed(schema: unknown, open = false): unknown {
    return closedSchema(schema, (inner) => this.resolveSchema(inner), open);
  }
}

let gateway: Contract | undefined;
/** The document the gateway serves, compiled for checking replies (once per isolate). */
export const gatewayContract = (): Contract => {
  gateway ??= new Contract(documentOf(app, "test")());
  return gateway;
};

/**
 * Throws unless a reply is one the document declares for the request's operation: a declared status, the
 * declared content type and a body that matches the declared schema strictly (no unknown property, every
 * required one, the right types), error envelopes included. A request for no operation is only held to the
 * error envelope.
 */
export function expectWithinContract(method: string, url: string, reply: ReplyLike): void {
  const { pathname, search } = new URL(url, "https://api.test.muster");
  const { operation, problems } = gatewayContract().replyProblems(method, pathname, reply);
  if (problems.length === 0) return;
  const body = reply.text.length > 600 ? `${reply.text.slice(0, 600)}… (${reply.text.length} chars)` : reply.text;
  throw new Error(
    [
      `${operation} answered ${reply.status} outside its contract (${method} ${pathname}${search}):`,
      ...problems.map((problem) => `  - ${problem}`),
      `  body: ${body || "(empty)"}`,
    ].join("\n"),
  );
}
