/// <reference path="./worker-configuration.d.ts" />

/**
 * The bindings a Worker receives. What wrangler.toml declares (vars, rate limiters, the queue) is generated into
 * worker-configuration.d.ts by `npm run types` (`npm run check` fails when it is stale); the secrets and what
 * only local development and tests set are listed below. Any of them may be missing in a
 * given Worker: config.ts decides, once, what is required and what each value means.
 */
export type Env = Partial<Omit<Cloudflare.Env, "OUTBOX_QUEUE" | "EXPORTS_QUEUE">> &
  LocalOnlyBindings & {
    /** Carries outbox message ids to the delivery consumer. */
    OUTBOX_QUEUE?: Queue<OutboxQueueMessage>;
    /** Carries export job ids to the consumer that writes their files. */
    EXPORTS_QUEUE?: Queue<ExportQueueMessage>;
  };

/** Secrets (`wrangler secret put`), and what `npm run dev` and the tests set: never in wrangler.toml. */
interface LocalOnlyBindings {
  DATABASE_URL?: string;
  /** A JSON array of private JWKs; the first signs service-account tokens, all verify. */
  API_SIGNING_KEYS?: string;
  EMAIL_API_KEY?: string;
  SMS_ACCOUNT_SID?: string;
  SMS_AUTH_TOKEN?: string;
  /** Standard Webhooks secret (`whsec_…`) of the inbound invitation-email webhook. */
  WEBHOOK_SECRET?: string;
  /** `host:port` of the local WebSocket→TCP proxy to Postgres (local development and tests only). */
  LOCAL_WS_PROXY?: string;
  /** An inline JWKS instead of AUTH_JWKS_URL (local development and tests: no network hop). */
  AUTH_JWKS?: string;
  AUTH_ALGORITHMS?: string;
  MAX_TOKEN_LIFETIME?: string;
  SERVICE_TOKEN_TTL?: string;
  CORS_ORIGINS?: string;
  MAX_BODY_BYTES?: string;
  /** Defaults that suit Neon; the suites wait longer on two busy cores, a local Postgres of your own may need SCRAM. */
  DATABASE_CONNECT_TIMEOUT_MS?: string;
  DATABASE_PIPELINE_CONNECT?: string;
}

export interface OutboxQueueMessage {
  outboxId: string;
}

export interface ExportQueueMessage {
  exportId: string;
}
