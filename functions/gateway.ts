import { auditEventsRouter } from "./audit-events";
import { membersRouter } from "./members";
import { createMetaRouter } from "./meta";
import { oauthRouter } from "./oauth";
import { organisationsRouter } from "./organisations";
import { buildApp, workerEntry } from "./platform/app";
import { documentOf } from "./platform/openapi";
import { rolesRouter } from "./roles";
import { serviceAccountsRouter } from "./service-accounts";

/** Every resource in one Worker: what `wrangler dev` runs and the default deploy. */
export const app = buildApp([
  organisationsRouter,
  membersRouter,
  rolesRouter,
  serviceAccountsRouter,
  auditEventsRouter,
  oauthRouter,
]);
app.route("/", createMetaRouter(documentOf(app, "1.0.0")));

export default workerEntry(app);
