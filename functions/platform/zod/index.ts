/**
 * zod's public namespace as the Workers' bundles see it (`[alias]` in wrangler.toml, `resolve.alias` in the test
 * config): zod's own index, less `locales`. @hono/zod-openapi passes `z` around as a value, so a bundler keeps
 * every export of that namespace, and `locales` (some 60 languages, 260 KiB minified) is one of them. English, the one
 * language our errors speak, stays: zod's schemas import it themselves. The schema compiler (`compile`, `withParser`
 * and their errors) and `fromJSONSchema` stay out too: nothing here or in the contract libraries calls them.
 * ./external.ts mirrors node_modules/zod/v4/classic/external.js (zod 4.6); test/node/zod-namespace.test.ts fails
 * when zod's changes.
 */
import * as z from "./external";

export * from "./external";
export { z, z as default };
