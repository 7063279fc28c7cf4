import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { PatternRouter } from "hono/router/pattern-router";
import type { ZodError, ZodType } from "zod";
import { databaseErrorOf, rootCause } from "./db";
import { errorDocUrl } from "./error-reference";
import {
  ApiError,
  COUNTED_RESPONSE_HEADERS,
  type ErrorCode,
  errorBody,
  errorResponses,
  type FieldErrors,
  validationError,
} from "./errors";
import { guard, requestBody } from "./guard";
import { idempotency } from "./idempotency";
import { type AccessRule, isTenanted } from "./permissions";
import type { AppEnv } from "./request";
import { type SecretMap, secretMapOf } from "./secrets";

export type Router = OpenAPIHono<AppEnv>;

const MAX_FIELD_NAME = 100;

/** zod issues → `{field: [problems]}`; object-level problems go under `non_field_errors`. */
export function fieldErrors(error: ZodError): FieldErrors {
  // No prototype: a body key such as "constructor" or "__proto__" must be just another field name.
  const fields: FieldErrors = Object.create(null);
  const add = (path: string, problem: string) => {
    const field = path.length > MAX_FIELD_NAME ? `${path.slice(0, MAX_FIELD_NAME)}…` : path;
    if (!Object.hasOwn(fields, field)) fields[field] = [];
    fields[field]?.push(problem);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key].join("."), "is not a known field");
      continue;
    }
    add(issue.path.length > 0 ? issue.path.join(".") : "non_field_errors", issue.message);
  }
  return fields;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: "validation_error",
  401: "not_authenticated",
  403: "permission_denied",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "service_unavailable",
};

/** Every error, from any layer, becomes the one envelope. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Hono's JSON validator throws this for a body that does not parse.
    if (error.status === 400) return new ApiError("parse_error", "The body is not valid JSON.");
    return new ApiError(HTTP_CODES[error.status] ?? "internal_error", error.message || "Request failed.");
  }
  const database = databaseErrorOf(error);
  if (database?.unreachable)
    return new ApiError("service_unavailable", "The database is unreachable; try again shortly.");
  if (database?.code === "23505") return new ApiError("conflict", "A resource with these values already exists.");
  if (database?.code === "23503")
    return new ApiError("conflict", "The resource is referenced by, or references, another one.");
  if (database?.code === "40001" || database?.code === "40P01") {
    return new ApiError("conflict", "A concurrent request changed the same data; retry.");
  }
  return new ApiError("internal_error", "Something went wrong on our side; the request id helps us find it.");
}

/** Seconds a client should wait after a 503: time for a suspended database to wake (db.ts gave up connecting). */
export const UNAVAILABLE_RETRY_AFTER = 3;

export function renderError(c: Context<AppEnv>, error: unknown): Response {
  const apiError = toApiError(error);
  const where = `[${c.get("requestId")}] ${c.req.method} ${c.req.path}`;
  if (apiError.code === "internal_error") console.error(`${where}:`, error);
  // An outage is not a bug: one line per refused request, not a stack trace each.
  if (apiError.code === "service_unavailable") console.error(`${where}: service unavailable: ${rootCause(error)}`);
  const docUrl = errorDocUrl(new URL(c.req.url).origin, apiError.code);
  const response = c.json(errorBody(apiError, c.get("requestId") ?? "req_unknown", docUrl), apiError.status);
  // An error describes one moment (a bucket, a token, a state): no cache may keep it.
  response.headers.set("Cache-Control", "no-store");
  if (apiError.status === 503) response.headers.set("Retry-After", String(UNAVAILABLE_RETRY_AFTER));
  for (const [name, value] of Object.entries(apiError.headers)) response.headers.set(name, value);
  return response;
}

/** The one router factory: validation hook, error rendering and typed env for every resource. */
export function createRouter(): Router {
  const router = new OpenAPIHono<AppEnv>({
    router: new PatternRouter(),
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw validationError(fieldErrors(result.error as ZodError));
    },
  });
  router.onError((error, c) => renderError(c, error));
  return router;
}

const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().openapi({
    description: "Makes a retry safe: the first response is replayed for 24 hours (per credential).",
    pattern: "^[\\x21-\\x7e]{1,255}$",
  }),
});

export interface RouteDefinition extends Omit<RouteConfig, "middleware" | "security"> {
  access: AccessRule;
  /** Error statuses beyond the ones implied by `access` and the request shape. */
  errors?: number[];
  /**
   * The 403 codes the route's domain raises beyond what `access` implies (a public route reaching into an
   * organisation: its IP allowlist). Left out, a declared 403 is `permission_denied`.
   */
  refusals?: ErrorCode[];
  /** Also accept `application/x-www-form-urlencoded` (OAuth clients send forms). */
  acceptsForm?: boolean;
  /** Route-specific checks that must run before the body is validated (a webhook's signature). */
  before?: MiddlewareHandler<AppEnv>[];
  /** A public route's own scheme, checked in `before` (the webhook's signature). */
  securityScheme?: string;
  /** A POST whose response must never be stored and replayed (a freshly issued token): no Idempotency-Key. */
  notIdempotent?: boolean;
  /**
   * The JSON body may be left out altogether (no content type, no bytes): documented as not required, and then
   * not validated, so the handler parses `{}` itself to get the defaults. Bytes without a content type stay 415.
   */
  optionalBody?: boolean;
}

/** Every 2xx and 4xx response says how the request was counted (rate-limit.ts sets the headers on each one). */
function withCountedHeaders(responses: NonNullable<RouteConfig["responses"]>): RouteConfig["responses"] {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      if (!/^[24]/.test(status)) return [status, response];
      const declared = (response as { headers?: object }).headers;
      return [status, { ...response, headers: { ...COUNTED_RESPONSE_HEADERS, ...declared } }];
    }),
  );
}

/** Per status, where the response schema marks secrets: what an idempotent replay must not keep. */
function secretsOf(responses: RouteConfig["responses"]): Map<number, SecretMap> {
  const found = new Map<number, SecretMap>();
  for (const [status, response] of Object.entries(responses ?? {})) {
    const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
    const secrets = secretMapOf(content?.["application/json"]?.schema as ZodType | undefined);
    if (secrets !== null) found.set(Number(status), secrets);
  }
  return found;
}

/**
 * createRoute() plus what every route shares: the guard middleware, the security requirement, and the error
 * responses the route can return, so the contract in the document matches what the code does.
 */
export function defineRoute<R extends RouteDefinition>(definition: R) {
  const {
    access: rule,
    errors = [],
    refusals = errors.includes(403) ? ["permission_denied"] : [],
    acceptsForm = false,
    before = [],
    securityScheme,
    notIdempotent = false,
    optionalBody = false,
    ...route
  } = definition;
  const statuses = new Set<number>([429, 500, 503, ...errors]);
  const request =
    optionalBody && route.request?.body
      ? { ...route.request, body: { ...route.request.body, required: false } }
      : route.request;
  if (request?.body || request?.query || request?.params || request?.headers) statuses.add(400);
  if (!rule.public || rule.optionalCredentials) statuses.add(401);
  const tenanted = isTenanted(rule);
  const forbidden: ErrorCode[] = [];
  if (!rule.public && (rule.scope || rule.permission || rule.platformAdmin)) forbidden.push("permission_denied");
  // Inside an organisation, its IP allowlist and its plan may refuse too.
  if (tenanted) forbidden.push("ip_not_allowed");
  if (rule.feature || rule.featureWhen) forbidden.push("feature_not_in_plan");
  if (rule.quotas?.length) forbidden.push("quota_exceeded");
  // A route's domain may refuse by rules of its own.
  for (const code of refusals.filter((refusal) => !forbidden.includes(refusal))) {
    if (code === "permission_denied") forbidden.unshift(code);
    else forbidden.push(code);
  }
  if (forbidden.length > 0) statuses.add(403);
  if (tenanted) statuses.add(404);
  if (request?.body) {
    statuses.add(413);
    statuses.add(415);
  }
  const idempotent = route.method === "post" && !notIdempotent;
  if (idempotent) {
    statuses.add(409);
    statuses.add(422);
  }
  const middleware = [guard(rule)];
  if (request?.body) {
    const checkBody = requestBody({ form: acceptsForm, optional: optionalBody });
    // Nothing to check when an optional body is left out; bytes without a content type meet the validator's 415.
    middleware.push(
      optionalBody ? (c, next) => (c.req.header("content-type") ? checkBody(c, next) : next()) : checkBody,
    );
  }
  middleware.push(...before);
  if (idempotent) middleware.push(idempotency(secretsOf(route.responses)));
  return createRoute({
    ...route,
    // A route's own headers (a webhook's signature headers) stay declared and validated beside Idempotency-Key.
    request: idempotent
      ? {
          ...request,
          headers:
            request?.headers instanceof z.ZodObject
              ? request.headers.extend(IdempotencyHeaders.shape)
              : IdempotencyHeaders,
        }
      : request,
    security: securityScheme
      ? [{ [securityScheme]: [] }]
      : rule.optionalCredentials
        ? [{}, { bearerAuth: [] }]
        : rule.public
          ? []
          : [{ bearerAuth: [] }],
    middleware,
    responses: withCountedHeaders({
      ...errorResponses([...statuses].sort(), { 403: `Refused (${forbidden.join(", ")})` }),
      ...route.responses,
    }),
    "x-access": {
      public: rule.public ?? false,
      optional_credentials: rule.optionalCredentials ?? false,
      scope: rule.scope ?? null,
      permission: rule.permission ?? null,
      platform_admin: rule.platformAdmin ?? false,
      tenanted,
      feature: rule.feature ?? null,
      feature_when: rule.featureWhen ?? null,
      quotas: rule.quotas ?? [],
    },
  } as unknown as RouteConfig) as unknown as Omit<
    R,
    "access" | "errors" | "refusals" | "acceptsForm" | "before" | "securityScheme" | "notIdempotent" | "optionalBody"
  > & {
    getRoutingPath(): string;
  };
}
