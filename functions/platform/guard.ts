import type { MiddlewareHandler } from "hono";
import { bearerToken, verifyToken } from "./auth";
import { readBodyWithin } from "./body-limit";
import { configOf } from "./config";
import { ApiError } from "./errors";
import { rememberPerson } from "./people";
import { type AccessRule, isTenanted, requireScope } from "./permissions";
import { requirePlatformAdmin } from "./platform-admins";
import { limitCodeGuesses, limitPersonalRequest } from "./rate-limit";
import type { AppEnv } from "./request";

/**
 * The route-level guard, declared in each route's contract: authenticates (401), checks the token's scope
 * and, on platform routes, that the caller is a platform administrator (403), counts a request outside any
 * organisation against its rate limit (429; inside one, the tenant helper counts it by the organisation's plan),
 * creates a person's user row on first sight, and records the rule the tenant helper enforces on load.
 */
export function guard(rule: AccessRule): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("rule", rule);
    const header = c.req.header("authorization");
    if (rule.public && rule.optionalCredentials && header !== undefined) {
      // Sent to a public route that serves more to whom it knows: verified like anywhere else, never ignored.
      const token = bearerToken(header);
      if (token !== null) c.set("principal", await verifyToken(c.env, token));
    } else if (!rule.public) {
      const token = bearerToken(header);
      if (token === null) {
        throw new ApiError(
          "not_authenticated",
          "Authentication required: send a bearer token.",
          {},
          { "WWW-Authenticate": "Bearer" },
        );
      }
      const principal = await verifyToken(c.env, token);
      c.set("principal", principal);
      requireScope(principal.scopes, rule.scope);
      if (rule.platformAdmin) requirePlatformAdmin(configOf(c.env).PLATFORM_ADMINS, principal);
    }
    const principal = c.get("principal");
    if (!isTenanted(rule)) await limitPersonalRequest(c);
    if (rule.takesCode) await limitCodeGuesses(c);
    if (principal?.kind === "user") await rememberPerson(c.get("db"), principal);
    await next();
    if (!rule.public || principal) c.res.headers.set("Cache-Control", "no-store");
    if (rule.optionalCredentials) c.res.headers.append("Vary", "Authorization");
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** For routes with a body: 415 for anything but JSON (or a form, where allowed), 413 over the size limit. */
export function requestBody(options: { form: boolean; optional?: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type) && !(options.form && FORM_TYPE.test(type))) {
      throw new ApiError(
        "unsupported_media_type",
        options.form ? "Send the body as application/json or a form." : "Send the body as application/json.",
      );
    }
    const limit = configOf(c.env).MAX_BODY_BYTES;
    const tooLarge = () => new ApiError("payload_too_large", `The body is larger than ${limit} bytes.`, { limit });
    const request = c.req.raw;
    // A body a route may leave out, sent typed but empty (`curl -X POST -H 'content-type: …'`), is `{}`.
    const empty = () => {
      if (options.optional) {
        const headers = new Headers(request.headers);
        headers.delete("content-length");
        c.req.raw = new Request(request, { headers, body: "{}" });
      }
      return next();
    };
    if (!request.body) return empty();
    const declared = request.headers.get("content-length");
    // A declared length is enforced by the runtime, so it can be judged without reading.
    if (declared !== null && !request.headers.has("transfer-encoding")) {
      if (Number(declared) > limit) throw tooLarge();
      if (Number(declared) === 0) return empty();
      return next();
    }
    const bytes = await readBodyWithin(request.body, limit);
    if (bytes === null) throw tooLarge();
    if (bytes.length === 0) return empty();
    c.req.raw = new Request(request, { body: bytes });
    return next();
  };
}
