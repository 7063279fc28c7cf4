// Configuration is parsed once, and a bad value is an error naming the variable (functions/platform/config.ts);
// wrangler.toml repeats its vars in every [env.*] block (environments inherit none), checked here against the
// top level so a resource Worker never runs on a stale copy.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { ConfigError, parseConfig } from "../../functions/platform/config";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRANGLER_TOML = path.join(ROOT, "wrangler.toml");
const readWrangler = (env?: string) => unstable_readConfig({ config: WRANGLER_TOML, env }, { hideWarnings: true });
const ENVIRONMENTS = [...readFileSync(WRANGLER_TOML, "utf8").matchAll(/^\[env\.([\w-]+)\]$/gm)].map(
  ([, name]) => name as string,
);

/** The secrets a deployment sets with `wrangler secret put`, as placeholders. */
const SECRETS = {
  DATABASE_URL: "postgres://muster@db.example/muster",
  API_SIGNING_KEYS: JSON.stringify([{ kty: "EC", crv: "P-256", x: "x", y: "y", d: "d" }]),
};
const MINIMAL = {
  ...SECRETS,
  AUTH_ISSUER: "https://idp.example/",
  AUTH_AUDIENCE: "muster",
  AUTH_JWKS_URL: "https://idp.example/.well-known/jwks.json",
  API_ISSUER: "https://api.example",
};

function problemWith(vars: Record<string, string | undefined>): string {
  try {
    parseConfig(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration parsed");
}

describe("configuration", () => {
  it("a minimal production configuration parses, with the documented defaults", () => {
    const config = parseConfig(MINIMAL);
    expect(config).toMatchObject({
      SERVICE_TOKEN_TTL: 900,
      MAX_TOKEN_LIFETIME: 86_400,
      MAX_BODY_BYTES: 1_048_576,
      CORS_ORIGINS: [],
      AUTH_ALGORITHMS: ["RS256", "ES256"],
      RATE_LIMIT_POLICY: { limit: 600, period: 60 },
      CODE_RATE_LIMIT_POLICY: { limit: 30, period: 60 },
      ANONYMOUS_RATE_LIMIT_POLICY: { limit: 300, period: 60 },
      APP_VERSION: "dev",
      UPGRADE_URL: "https://muster.dev/pricing",
    });
  });

  it.each([
    ["RATE_LIMIT_POLICY", "600"],
    ["RATE_LIMIT_POLICY", "0/60"],
    ["CODE_RATE_LIMIT_POLICY", "thirty a minute"],
    ["ANONYMOUS_RATE_LIMIT_POLICY", "300 per minute"],
    ["UPGRADE_URL", "pricing page"],
    ["SERVICE_TOKEN_TTL", "15m"],
    ["SERVICE_TOKEN_TTL", "0"],
    ["SERVICE_TOKEN_TTL", "7200"],
    ["MAX_TOKEN_LIFETIME", "1e5"],
    ["MAX_BODY_BYTES", "1 MiB"],
    ["API_SIGNING_KEYS", "[]"],
    ["API_SIGNING_KEYS", "not json"],
    ["AUTH_JWKS_URL", "idp.example/jwks"],
    ["AUTH_ALGORITHMS", "RS256,HS256"],
    ["AUTH_ALGORITHMS", "none"],
    ["INVITATION_URL", "https://app.example/invitations"],
    ["AUTH_ISSUER", ""],
    ["PLATFORM_ADMINS", "admin"],
    ["PLATFORM_ADMINS", "admin@example.com, nobody"],
    ["PLATFORM_ADMINS", "|subject"],
    ["PLATFORM_ADMINS", "https://idp.example/|"],
    ["PLATFORM_ADMINS", "two words@example.com"],
  ])("%s=%j is refused, naming the variable", (name, value) => {
    expect(problemWith({ ...MINIMAL, [name]: value })).toMatch(new RegExp(`\\b${name}: `));
  });

  it("neither AUTH_JWKS_URL nor AUTH_JWKS is refused, saying to set one; every bad variable is named at once", () => {
    const message = problemWith({ ...MINIMAL, AUTH_JWKS_URL: "", SERVICE_TOKEN_TTL: "soon", DATABASE_URL: undefined });
    expect(message).toMatch(/AUTH_JWKS_URL: set AUTH_JWKS_URL/);
    expect(message).toMatch(/SERVICE_TOKEN_TTL: /);
    expect(message).toMatch(/DATABASE_URL: /);
  });

  it("PLATFORM_ADMINS: empty is nobody; emails are lower-cased; an entry with | is issuer|subject", () => {
    expect(parseConfig(MINIMAL).PLATFORM_ADMINS).toEqual({ emails: new Set(), identities: new Set() });
    expect(parseConfig({ ...MINIMAL, PLATFORM_ADMINS: " , " }).PLATFORM_ADMINS.emails.size).toBe(0);
    const { emails, identities } = parseConfig({
      ...MINIMAL,
      PLATFORM_ADMINS: " Admin@Example.COM , https://idp.example/|auth0|123,ops@example.com",
    }).PLATFORM_ADMINS;
    expect([...emails]).toEqual(["admin@example.com", "ops@example.com"]);
    expect([...identities]).toEqual(["https://idp.example/|auth0|123"]);
  });

  it("PLATFORM_ADMINS names the entry it refuses", () => {
    expect(problemWith({ ...MINIMAL, PLATFORM_ADMINS: "ok@example.com, oops" })).toMatch(
      /PLATFORM_ADMINS: "oops" is neither an email nor issuer\|subject/,
    );
  });
});

describe("wrangler.toml", () => {
  const top = readWrangler();

  it("declares resource Workers", () => {
    expect(ENVIRONMENTS.length).toBeGreaterThanOrEqual(7);
  });

  // All of them, even those a resource Worker does not read: a missing one is a warning on every deploy.
  it.each(ENVIRONMENTS)("[env.%s] repeats every var of the top level, with its value", (name) => {
    expect(readWrangler(name).vars).toEqual(top.vars);
  });

  it("the gateway defines the rate limiter's Durable Object class, with its migration", () => {
    expect(top.durable_objects.bindings).toEqual([{ name: "RATE_LIMITS", class_name: "RateLimiter" }]);
    expect(
      top.migrations.flatMap((migration: { new_sqlite_classes?: string[] }) => migration.new_sqlite_classes ?? []),
    ).toContain("RateLimiter");
  });

  it.each(ENVIRONMENTS)(
    "[env.%s] binds to the gateway's rate limiter by script name (one budget whichever Worker serves)",
    (name) => {
      expect(readWrangler(name).durable_objects.bindings).toEqual([
        { name: "RATE_LIMITS", class_name: "RateLimiter", script_name: top.name },
      ]);
    },
  );

  it.each(["", ...ENVIRONMENTS])("%s: the vars parse", (name) => {
    const env = readWrangler(name || undefined);
    expect(() => parseConfig({ ...SECRETS, ...(env.vars as Record<string, string>) })).not.toThrow();
  });
});
