// Imported as text by wrangler's `rules` (and the matching plugin in vitest.config.ts).
declare module "@scalar/api-reference/dist/browser/standalone.js" {
  const script: string;
  export default script;
}
