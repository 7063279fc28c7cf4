// The test bindings and the built-in roles every tenant has.

import { env } from "cloudflare:workers";
import type { Env } from "../../functions/platform/env";
import { BUILT_IN_ROLES, type BuiltInRoleKey } from "../../functions/platform/permissions";

/** The test bindings (vitest.config.ts): every variable the suites read is set. */
export type TestEnv = Env &
  Required<
    Pick<
      Env,
      | "DATABASE_URL"
      | "AUTH_ISSUER"
      | "AUTH_AUDIENCE"
      | "AUTH_JWKS"
      | "API_ISSUER"
      | "API_SIGNING_KEYS"
      | "WEBHOOK_SECRET"
    >
  > & { TEST_IDP_PRIVATE_KEY: string; MAX_BODY_BYTES: string };
export const testEnv = env as unknown as TestEnv;

export const BUILT_IN: readonly BuiltInRoleKey[] = BUILT_IN_ROLES.map((role) => role.key);
export type BuiltIn = BuiltInRoleKey;

export const uniqueSuffix = () => crypto.randomUUID().slice(0, 8);
