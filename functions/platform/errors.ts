import { z } from "@hono/zod-openapi";
import { ERROR_GUIDE as GUIDE } from "./error-guide";

/** The closed catalogue of error codes and the status each one carries. */
export const ERROR_STATUS = {
  validation_error: 400,
  parse_error: 400,
  /** OAuth's name (RFC 6749 §5.2) for a token request that breaks the protocol, e.g. two client authentications. */
  invalid_request: 400,
  /** The opportunity's end date has passed: nobody more is invited to it. */
  opportunity_ended: 400,
  not_authenticated: 401,
  authentication_failed: 401,
  permission_denied: 403,
  feature_not_in_plan: 403,
  quota_exceeded: 403,
  ip_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invitee_mismatch: 409,
  user_in_other_organisation: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  send_email_error: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];
export type FieldErrors = Record<string, string[]>;

/** Thrown anywhere; rendered by the router's `onError` as the one error envelope. */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = "resource") => new ApiError("not_found", `No such ${what}.`);
export const permissionDenied = (message: string) => new ApiError("permission_denied", message);
export const conflict = (message: string, extra: Record<string, unknown> = {}) =>
  new ApiError("conflict", message, extra);

const MAX_MESSAGE = 500;

export function validationError(fields: FieldErrors): ApiError {
  const summary = Object.entries(fields)
    .map(([field, problems]) => `${field}: ${problems.join("; ")}`)
    .join(", ");
  const message = summary.length > MAX_MESSAGE ? `${summary.slice(0, MAX_MESSAGE - 1)}…` : summary;
  // A plain object again, so it serialises like any other.
  return new ApiError("validation_error", message || "The request is invalid.", { fields: { ...fields } });
}

/** The envelope of every error: the code, a sentence, what the code adds, the request, and where the code is explained. */
export function errorBody(error: ApiError, requestId: string, docUrl: string) {
  return {
    error: { code: error.code, message: error.message, ...error.extra, request_id: requestId, doc_url: docUrl },
  };
}

/** When each code happens and what to do: every code of the catalogue has its entry. */
export const ERROR_GUIDE: Record<ErrorCode, { when: string; fix: string }> = GUIDE;

// A list, not a table: a viewer's narrow column squeezes a table's code and status to a letter a line.
const CATALOGUE = (Object.keys(ERROR_STATUS) as ErrorCode[])
  .map((code) => `- \`${code}\` (${ERROR_STATUS[code]}): ${ERROR_GUIDE[code].when}`)
  .join("\n");

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]).openapi({
          description: `A stable code from the closed catalogue:\n\n${CATALOGUE}`,
        }),
        message: z.string().max(2000).openapi({ description: "What went wrong, as a sentence a person can read." }),
        fields: z
          .record(z.string(), z.array(z.string().max(500)).max(50))
          .optional()
          .openapi({ description: "With `validation_error`: each field's problems, by its path (`filters.status`)." }),
        request_id: z
          .string()
          .max(64)
          .openapi({ description: "This request's id (also `X-Request-Id`): quote it when reporting." }),
        doc_url: z.url().max(300).openapi({ description: "The code's entry in the error reference (`/docs/errors`)." }),
      })
      .catchall(z.unknown())
      .openapi({
        description: "The error; some codes add fields of their own (`existing_id`, `quota`, `retry_after`…).",
      }),
  })
  .openapi("Error");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request (validation_error, parse_error; opportunity_ended, invalid_request where they apply)",
  401: "Missing or invalid credentials (not_authenticated, authentication_failed)",
  403: "Not allowed (permission_denied)",
  404: "Not found, or not in your organisation (not_found)",
  405: "Method not allowed on this path (method_not_allowed)",
  409: "Conflict with the current state (conflict)",
  413: "Body too large (payload_too_large)",
  415: "Body is not JSON (unsupported_media_type)",
  422: "Idempotency key reused with another request (idempotency_key_reused)",
  429: "Too many requests (rate_limited)",
  500: "Unexpected error (internal_error)",
  502: "Upstream provider failed (send_email_error)",
  503: "Database or dependency unreachable (service_unavailable)",
};

/**
 * On every response of every route (IETF draft-ietf-httpapi-ratelimit-headers): each bucket the request was
 * counted in, its quota and window, what is left and when it is full again.
 */
export const COUNTED_RESPONSE_HEADERS = {
  RateLimit: {
    description:
      'What is left in each bucket this request was counted in, and the seconds until it is full again: `"organisation";r=59;t=1`.',
    schema: {
      type: "string" as const,
      maxLength: 300,
      pattern: '^"[a-z-]+";r=[0-9]+;t=[0-9]+(, "[a-z-]+";r=[0-9]+;t=[0-9]+)*$',
    },
  },
  "RateLimit-Policy": {
    description:
      "Each bucket's quota per window in seconds: `\"organisation\";q=60;w=60` (inside an organisation, its plan's " +
      'rate limit per credential; `"personal"`, `"anonymous"`, `"codes"`, `"client-secret"` otherwise).',
    schema: {
      type: "string" as const,
      maxLength: 300,
      pattern: '^"[a-z-]+";q=[0-9]+;w=[0-9]+(, "[a-z-]+";q=[0-9]+;w=[0-9]+)*$',
    },
  },
  "Access-Control-Allow-Origin": {
    description: "Sent to configured origins only.",
    schema: { type: "string" as const, maxLength: 200, pattern: "^https?://[^\\s]+$" },
  },
};

const RATE_LIMIT_HEADERS = {
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer" as const, format: "int32", minimum: 1, maximum: 3600 },
  },
  ...COUNTED_RESPONSE_HEADERS,
};

/** Where a response declares its headers, the CORS one goes too (OWASP ruleset). */
export const CORS_RESPONSE_HEADER = RATE_LIMIT_HEADERS["Access-Control-Allow-Origin"];

/** A 503 says when to come back; the CORS header goes wherever headers are declared (OWASP ruleset). */
const UNAVAILABLE_HEADERS = {
  "Retry-After": RATE_LIMIT_HEADERS["Retry-After"],
  "Access-Control-Allow-Origin": RATE_LIMIT_HEADERS["Access-Control-Allow-Origin"],
};

/** OpenAPI response objects for the given error statuses, all with the error envelope. */
export function errorResponses(statuses: readonly number[], descriptions: Record<number, string> = {}) {
  const responses: Record<number, { description: string; content: object; headers?: object }> = {};
  for (const status of statuses) {
    responses[status] = {
      description: descriptions[status] ?? DESCRIPTIONS[status] ?? "Error",
      content: { "application/json": { schema: ErrorSchema } },
      ...(status === 429 ? { headers: RATE_LIMIT_HEADERS } : {}),
      ...(status === 503 ? { headers: UNAVAILABLE_HEADERS } : {}),
    };
  }
  return responses;
}
