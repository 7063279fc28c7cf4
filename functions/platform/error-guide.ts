/**
 * The error catalogue as a client developer reads it: when each code happens and what to do about it. The
 * contract's error schema, the reference page (`/docs/errors`) and the document's introduction render this one list;
 * errors.ts holds it to the catalogue (a code without its entry does not compile).
 */
export const ERROR_GUIDE = {
  validation_error: {
    when: "the body, query or path fails its schema (`fields` names each problem); a bad cursor or id",
    fix: "Correct each field `fields` names; the operation's schema in the document says what it takes.",
  },
  parse_error: { when: "the body is not valid JSON", fix: "Send a JSON body with `Content-Type: application/json`." },
  invalid_request: {
    when: "an OAuth token request that breaks the protocol (RFC 6749 §5.2)",
    fix: "Authenticate the client once: in the body or by HTTP Basic, not both; send `grant_type=client_credentials`.",
  },
  opportunity_ended: {
    when: "inviting to an opportunity whose end date has passed",
    fix: "Extend the opportunity's `end_date` first, or invite to a current one.",
  },
  not_authenticated: {
    when: "no credentials (`WWW-Authenticate: Bearer`)",
    fix: "Send `Authorization: Bearer <token>`: a person's token from your identity provider, or a service account's from `POST /v1/oauth/token`.",
  },
  authentication_failed: {
    when: "credentials present but invalid, expired, revoked or of the wrong issuer or audience",
    fix: "Get a fresh token; check its issuer and audience against the API's configuration.",
  },
  permission_denied: {
    when: "the role lacks the permission, the token the scope, or a rule of the resource refuses",
    fix: "Ask an admin for a role with the permission the operation's `x-access` names, or a token with its scope.",
  },
  feature_not_in_plan: {
    when: "the organisation's plan does not include the feature (`feature`, `plan`, `upgrade_url`)",
    fix: "Upgrade the plan at `upgrade_url`; `GET /v1/organisations/{id}/plan` lists what the plan includes.",
  },
  quota_exceeded: {
    when: "the insert would take the organisation over a quota (`quota`, `limit`, `usage`, `upgrade_url`)",
    fix: "Remove what you no longer need (members, pending invitations, roles…) or upgrade at `upgrade_url`.",
  },
  ip_not_allowed: {
    when: "the organisation's IP allowlist does not include the caller's address (`ip_address`)",
    fix: "Call from an allowed address, or ask an admin to add `ip_address` to the allowlist.",
  },
  not_found: {
    when: "no such resource, or it belongs to another organisation; an unknown route",
    fix: "Check the id and that your token belongs to a member of the resource's organisation.",
  },
  method_not_allowed: {
    when: "a known path, another method (`Allow`)",
    fix: "Use one of the methods the `Allow` header lists.",
  },
  conflict: {
    when: "uniqueness, a state that does not allow it, a concurrent change or idempotent duplicate",
    fix: "Read the resource again (`existing_id` names the one in the way, where there is one) and retry from its current state.",
  },
  invitee_mismatch: {
    when: "accepting an invitation addressed to someone else",
    fix: "Sign in as the person (verified email or phone) the invitation was sent to.",
  },
  user_in_other_organisation: {
    when: "the invitee belongs to another organisation that requires exclusive membership",
    fix: "The invitee leaves the other organisation first, or that organisation stops requiring exclusive membership.",
  },
  payload_too_large: { when: "the body is over the limit", fix: "Send a smaller body; split a bulk request." },
  unsupported_media_type: {
    when: "the body is not JSON (or a form, where one is accepted)",
    fix: "Send `Content-Type: application/json` with a JSON body.",
  },
  idempotency_key_reused: {
    when: "the Idempotency-Key was used with another request",
    fix: "Use a new key for a new request; reuse a key only to retry the very same request.",
  },
  rate_limited: {
    when: "over the rate limit (`Retry-After`, `retry_after`, `limit`, `window_seconds`)",
    fix: "Wait `Retry-After` seconds; the `RateLimit` header on every answer says what is left.",
  },
  internal_error: {
    when: "anything else; logged with the request id",
    fix: "Retry later; if it persists, report the `request_id`.",
  },
  send_email_error: {
    when: "the invitation was stored but its first delivery failed at once (it is retried)",
    fix: "Nothing to redo: the invitation (`invitation_id`) exists and delivery is retried; `:resend` sends it again.",
  },
  service_unavailable: {
    when: "the database or a dependency is unreachable (`Retry-After`)",
    fix: "Retry after `Retry-After` seconds; nothing was changed.",
  },
} as const satisfies Record<string, { when: string; fix: string }>;
