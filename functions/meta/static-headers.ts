/**
 * The headers of the static files Cloudflare serves before the Worker (wrangler.toml's `run_worker_first`
 * exceptions). `assets/_headers` gives them there; the gateway's routes give the same where nothing stands in front
 * (the tests, `wrangler dev` without assets first). test/node/static-headers.test.ts holds the two together.
 */
const INVITE_PAGE = {
  "Cache-Control": "public, max-age=3600",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
};

export const STATIC_HEADERS: Record<string, Record<string, string>> = {
  "/invite": INVITE_PAGE,
  "/invite.js": INVITE_PAGE,
  "/docs/reference.js": { "Cache-Control": "public, max-age=86400" },
};
