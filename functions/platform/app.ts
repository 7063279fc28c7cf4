import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { configOf } from "./config";
import { createDatabase } from "./db";
import type { Env, OutboxQueueMessage } from "./env";
import { ApiError } from "./errors";
import { newRequestId } from "./ids";
import { rateLimitHeaders } from "./rate-limit";
import type { AppEnv } from "./request";
import { createRouter, type Router, renderError } from "./router";

function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = newRequestId();
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}

/** One pool per request, closed after the response is sent. */
export function databaseMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, pool } = createDatabase(c.env);
    c.set("db", db);
    try {
      await next();
    } finally {
      const closing = pool.end().catch(() => {});
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        // app.request() without an execution context (scripts): the promise settles on its own.
      }
    }
  };
}

interface PathPattern {
  regex: RegExp;
  methods: Set<string>;
}

/** The document's paths as regexes (a parameter never spans `/` or `:`), with the methods each one serves. */
function pathPatterns(app: Router): PathPattern[] {
  const byPath = new Map<string, Set<string>>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const methods = byPath.get(definition.route.path) ?? new Set<string>();
    methods.add(definition.route.method.toUpperCase());
    byPath.set(definition.route.path, methods);
  }
  return [...byPath].map(([path, methods]) => {
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith("{") ? "[^/:]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    if (methods.has("GET")) methods.add("HEAD");
    return { regex: new RegExp(`^${source}/?$`), methods };
  });
}

/** Which methods some route serves at this path (empty: no route at all). */
function allowedMethods(app: Router): (path: string) => Set<string> {
  let patterns: PathPattern[] | undefined;
  return (path) => {
    patterns ??= pathPatterns(app);
    const allowed = new Set<string>();
    for (const pattern of patterns) {
      if (pattern.regex.test(path)) for (const method of pattern.methods) allowed.add(method);
    }
    return allowed;
  };
}

function methodNotAllowed(c: Context<AppEnv>, allowed: Set<string>): Response {
  const allow = [...allowed].sort().join(", ");
  return renderError(
    c,
    new ApiError("method_not_allowed", `${c.req.method} is not allowed here; use ${allow}.`, {}, { Allow: allow }),
  );
}

/**
 * `/v1/things/{id}:verb` would otherwise be routed to `/v1/things/{id}` (the router's parameters may contain
 * `:`), so custom-method paths are settled here, before routing: an unknown verb is 404, a wrong method 405.
 */
function customMethodGuard(allowed: (path: string) => Set<string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const lastSegment = c.req.path.slice(c.req.path.lastIndexOf("/") + 1);
    if (lastSegment.includes(":") && c.req.method !== "OPTIONS") {
      const methods = allowed(c.req.path);
      if (methods.size === 0) return notFoundOrNotAllowed(allowed)(c);
      if (!methods.has(c.req.method)) return methodNotAllowed(c, methods);
    }
    await next();
  };
}

function notFoundOrNotAllowed(allowed: (path: string) => Set<string>) {
  return (c: Context<AppEnv>) => {
    const methods = allowed(c.req.path);
    if (methods.size > 0) return methodNotAllowed(c, methods);
    return renderError(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`));
  };
}

/**
 * The app that does the routing, for the gateway or for one resource's Worker: request ids, secure headers,
 * CORS for configured origins, the per-request database, and the 404/405 handling.
 */
export function buildApp(routers: Router[]): Router {
  const app = createRouter();
  app.use("*", requestId());
  // A bad binding fails every request the same clear way (500, logged with the variable's name), never halfway.
  app.use("*", async (c, next) => {
    configOf(c.env);
    await next();
  });
  app.use("*", secureHeaders());
  app.use(
    "*",
    cors({
      origin: (origin, c: Context<AppEnv>) => (configOf(c.env).CORS_ORIGINS.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
      exposeHeaders: ["X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After", "Idempotent-Replayed"],
      maxAge: 600,
    }),
  );
  const allowed = allowedMethods(app);
  // Before the custom-method guard, so its 404s and 405s are counted and say so like the router's own.
  app.use("*", rateLimitHeaders(renderError));
  app.use("*", customMethodGuard(allowed));
  app.use("*", databaseMiddleware());
  for (const router of routers) app.route("/", router);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A person's token from the identity provider, or a service-account token from POST /v1/oauth/token. " +
      "Under `npm run dev`, `npm run -s token -- alice@example.com` prints one for the demo owner. " +
      "Tokens are verified as RFC8725 advises: pinned algorithms (never `none` or HMAC with a public key), " +
      "issuer, audience, expiry and not-before, with a small clock tolerance.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "webhookSignature", {
    type: "apiKey",
    in: "header",
    name: "webhook-signature",
    description:
      "Standard Webhooks: an HMAC-SHA256 signature (secret `whsec_…`) over `webhook-id`, `webhook-timestamp` " +
      "and the raw body; the timestamp must be within five minutes.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "twilioSignature", {
    type: "apiKey",
    in: "header",
    name: "X-Twilio-Signature",
    description:
      "Twilio's request signature: base64 HMAC-SHA1, keyed with the SMS provider's auth token (`SMS_AUTH_TOKEN`), " +
      "of the callback URL (`SMS_STATUS_CALLBACK_URL`) followed by each POST parameter's name and value, sorted.",
  });
  app.notFound(notFoundOrNotAllowed(allowed));
  return app;
}

/** The Worker entry for an app; the Workers that deliver messages also take the queue and the cron. */
export function workerEntry<Message = OutboxQueueMessage>(
  app: Router,
  background?: Pick<ExportedHandler<Env, Message>, "queue" | "scheduled">,
): ExportedHandler<Env, Message> {
  return { fetch: (request, env, ctx) => app.fetch(request, env, ctx), ...background };
}
