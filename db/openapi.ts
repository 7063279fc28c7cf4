// npm run openapi — writes the OpenAPI document generated from the route definitions to openapi.json.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { app } from "../functions/gateway";
import { ROOT } from "./paths";

// Generating the document touches no binding; the database is never opened.
const response = await app.request(
  "https://api.muster.dev/openapi.json",
  {},
  {
    DATABASE_URL: "postgres://unused@localhost/unused",
  },
);
if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}: ${await response.text()}`);
const document = await response.json();
const out = path.join(ROOT, process.argv[2] ?? "openapi.json");
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
