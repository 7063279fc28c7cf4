/** Bindings and vars every Worker of Muster receives (wrangler.toml `[vars]`, secrets, bindings). */
export interface Env {
  DATABASE_URL: string;
  /** `host:port` of a local WebSocket→TCP proxy; set only for local development and tests. */
  LOCAL_WS_PROXY?: string;
  /** People's identity provider: issuer, audience, and either a JWKS URL or an inline JWKS (JSON). */
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL?: string;
  AUTH_JWKS?: string;
  /** Comma-separated algorithms accepted from the identity provider (default `RS256,ES256`). */
  AUTH_ALGORITHMS?: string;
  /** The API as an issuer of service-account tokens; private JWKs as a JSON array, the first one signs. */
  API_ISSUER: string;
  API_SIGNING_KEYS: string;
  /**
   * Longest lifetime accepted on a person's token, in seconds (default 86400): `exp - iat`, or `exp - now` for a
   * token without `iat`.
   */
  MAX_TOKEN_LIFETIME?: string;
  /** Lifetime of service-account tokens in seconds (default 900). */
  SERVICE_TOKEN_TTL?: string;
  /** Comma-separated origins allowed by CORS; empty allows none. */
  CORS_ORIGINS?: string;
  /** Maximum request body in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
  APP_VERSION?: string;
  /** Workers rate-limiting binding keyed per credential. */
  RATE_LIMITER?: RateLimit;
  /** The `limit` and `period` configured on RATE_LIMITER, for the RateLimit-Policy header. */
  RATE_LIMIT_POLICY?: string;
  /** The smaller bucket of routes that take a secret code (`:lookup`, `:accept`, `:decline`), and its policy. */
  CODE_RATE_LIMITER?: RateLimit;
  CODE_RATE_LIMIT_POLICY?: string;
  /** The bucket of each client id's attempts on `POST /v1/oauth/token` (secret guessing), and its policy. */
  SECRET_RATE_LIMITER?: RateLimit;
  SECRET_RATE_LIMIT_POLICY?: string;
  /** Email over a Resend-compatible HTTP API (`POST {url}/emails`). */
  EMAIL_PROVIDER_URL?: string;
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  /** SMS over a Twilio-compatible HTTP API (`POST {url}/2010-04-01/Accounts/{sid}/Messages.json`). */
  SMS_PROVIDER_URL?: string;
  SMS_ACCOUNT_SID?: string;
  SMS_AUTH_TOKEN?: string;
  SMS_FROM?: string;
  /** The invitation link, with `{code}` where the code goes. */
  INVITATION_URL?: string;
  /** Standard Webhooks secret (`whsec_...`) of the inbound invitation-email webhook. */
  WEBHOOK_SECRET?: string;
  /** Cloudflare Queue that carries outbox message ids to the delivery consumer. */
  OUTBOX_QUEUE?: Queue<OutboxQueueMessage>;
}

export interface OutboxQueueMessage {
  outboxId: string;
}
