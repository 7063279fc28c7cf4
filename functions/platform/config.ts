import { z } from "zod";
import type { Env } from "./env";

/**
 * The Worker's configuration, parsed once per set of bindings: a bad value is an error naming the variable,
 * never a silent fallback in the middle of a request. Bindings (the rate limiter, queues) stay on `Env`.
 */
const text = z.string({ error: "is required" }).trim().min(1, "must not be empty");
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || undefined);
/** A whole number of `unit`, `fallback` when unset. */
const wholeNumber = (fallback: number, unit: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value || String(fallback))
    .pipe(
      z
        .string()
        .regex(/^[0-9]+$/, `must be a whole number of ${unit}`)
        .transform(Number)
        .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
    );
const flag = (fallback: boolean) =>
  optionalText
    .pipe(z.enum(["true", "false"], "must be true or false").optional())
    .transform((value) => (value === undefined ? fallback : value === "true"));
const seconds = (fallback: number, max: number) => wholeNumber(fallback, "seconds", 1, max);
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
/** `limit/period`: so many requests every so many seconds. */
const policy = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value || fallback)
    .pipe(
      z
        .string()
        .regex(/^[1-9][0-9]*\/[1-9][0-9]*$/, "must be limit/period in seconds, e.g. 600/60")
        .transform((value) => {
          const [limit, period] = value.split("/").map(Number) as [number, number];
          return { limit, period };
        }),
    );
/** JSON checked against a schema, kept as its text (key sets are cached by it). */
const json = (schema: z.ZodType) =>
  z.string().superRefine((value, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be valid JSON" });
      return;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) ctx.addIssue({ code: "custom", message: result.error.issues[0]?.message ?? "is invalid" });
  });
const jwk = z.looseObject({ kty: z.string() });

/** Who administers the platform: verified emails (lower-cased) and `issuer|subject` identities. */
export interface PlatformAdmins {
  emails: ReadonlySet<string>;
  identities: ReadonlySet<string>;
}
const ADMIN_EMAIL = /^[^\s@|]+@[^\s@|]+$/;
/** `a@b.example, https://idp.example/|auth0|123`: an entry with a `|` is `issuer|subject` (a subject may hold `|`). */
const platformAdmins = list.transform((entries, ctx): PlatformAdmins => {
  const emails = new Set<string>();
  const identities = new Set<string>();
  for (const entry of entries) {
    const bar = entry.indexOf("|");
    if (bar > 0 && bar < entry.length - 1) identities.add(entry);
    else if (bar === -1 && ADMIN_EMAIL.test(entry)) emails.add(entry.toLowerCase());
    else ctx.addIssue({ code: "custom", message: `"${entry.slice(0, 100)}" is neither an email nor issuer|subject` });
  }
  return { emails, identities };
});

const ConfigSchema = z
  .object({
    DATABASE_URL: text,
    LOCAL_WS_PROXY: optionalText,
    AUTH_ISSUER: text,
    AUTH_AUDIENCE: text,
    AUTH_JWKS_URL: optionalText.pipe(z.url("must be a URL").optional()),
    AUTH_JWKS: optionalText.pipe(
      json(z.object({ keys: z.array(jwk).min(1, "must hold at least one key") }, "must be a JWKS")).optional(),
    ),
    AUTH_ALGORITHMS: list
      .transform((names) => (names.length > 0 ? names : ["RS256", "ES256"]))
      .pipe(
        z.array(
          z
            .string()
            .refine((name) => name.toLowerCase() !== "none" && !/^HS/i.test(name), "none and HS* are never accepted"),
        ),
      ),
    API_ISSUER: text,
    API_SIGNING_KEYS: json(z.array(jwk, "must be a JSON array of private JWKs").min(1, "must not be empty")),
    SERVICE_TOKEN_TTL: seconds(900, 3600),
    MAX_TOKEN_LIFETIME: seconds(86_400, 31 * 86_400),
    CORS_ORIGINS: list,
    MAX_BODY_BYTES: wholeNumber(1_048_576, "bytes", 1),
    /**
     * How long a connection to the database may take before the request is a 503. Neon wakes a suspended compute
     * in about a second; a busy machine (the test suites on two cores) needs longer than a quiet one.
     */
    DATABASE_CONNECT_TIMEOUT_MS: wholeNumber(5000, "milliseconds", 100, 60_000),
    /**
     * Send the startup, the password and the first statement in one flight instead of three round trips: what
     * Neon and the embedded database allow (cleartext password over the connection). A Postgres that asks for
     * SCRAM (one of your own on localhost) needs false; the dev stack says so when DATABASE_URL names one.
     */
    DATABASE_PIPELINE_CONNECT: flag(true),
    /** Per credential outside any organisation (inside one, the organisation's plan decides). */
    RATE_LIMIT_POLICY: policy("600/60"),
    /** Per client address, for requests without credentials. */
    ANONYMOUS_RATE_LIMIT_POLICY: policy("300/60"),
    CODE_RATE_LIMIT_POLICY: policy("30/60"),
    SECRET_RATE_LIMIT_POLICY: policy("30/60"),
    APP_VERSION: optionalText.transform((value) => value ?? "dev"),
    EMAIL_PROVIDER_URL: optionalText.pipe(z.url("must be a URL").optional()),
    EMAIL_API_KEY: optionalText,
    EMAIL_FROM: optionalText.transform((value) => value ?? "Muster <no-reply@muster.dev>"),
    SMS_PROVIDER_URL: optionalText.pipe(z.url("must be a URL").optional()),
    SMS_ACCOUNT_SID: optionalText,
    SMS_AUTH_TOKEN: optionalText,
    /** Where the SMS provider posts delivery receipts (our `/v1/webhooks/sms-status`), exactly as it signs it. */
    SMS_STATUS_CALLBACK_URL: optionalText.pipe(z.url("must be a URL").optional()),
    SMS_FROM: optionalText.transform((value) => value ?? "Muster"),
    INVITATION_URL: optionalText.pipe(
      z
        .string()
        .refine((value) => value.includes("{code}"), "must contain {code}, where the invitation code goes")
        .optional(),
    ),
    WEBHOOK_SECRET: optionalText,
    PLATFORM_ADMINS: platformAdmins,
    /** Where a refusal by the plan (`feature_not_in_plan`, `quota_exceeded`) sends people to upgrade. */
    UPGRADE_URL: optionalText
      .pipe(z.url("must be a URL").optional())
      .transform((value) => value ?? "https://muster.dev/pricing"),
  })
  .refine((config) => config.AUTH_JWKS || config.AUTH_JWKS_URL, {
    message: "set AUTH_JWKS_URL (production) or AUTH_JWKS (an inline JWKS)",
    path: ["AUTH_JWKS_URL"],
    // Said alongside any other problem, so one start names everything to fix.
    when: () => true,
  });

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses bindings into the configuration; throws one ConfigError naming every bad variable. */
export function parseConfig(vars: Record<string, unknown>): Config {
  const strings = Object.fromEntries(
    Object.entries(vars).filter(([, value]) => typeof value === "string" || value === undefined),
  );
  const result = ConfigSchema.safeParse(strings);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0] ?? "configuration")}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration — ${problems.join("; ")}`);
}

const parsed = new WeakMap<object, Config>();

/** The configuration of these bindings, parsed the first time it is asked for. */
export function configOf(env: Env): Config {
  let config = parsed.get(env);
  if (!config) {
    config = parseConfig(env as unknown as Record<string, unknown>);
    parsed.set(env, config);
  }
  return config;
}
