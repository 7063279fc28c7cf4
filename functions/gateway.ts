import { auditEventsRouter } from "./audit-events";
import { queue, scheduled } from "./background";
import { invitationsRouter } from "./invitations";
import { membersRouter } from "./members";
import { createMetaRouter } from "./meta";
import { oauthRouter } from "./oauth";
import { opportunityWorkersRouter } from "./opportunity-workers";
import { organisationsRouter } from "./organisations";
import { buildApp, workerEntry } from "./platform/app";
import { documentOf } from "./platform/openapi";
import { rolesRouter } from "./roles";
import { serviceAccountsRouter } from "./service-accounts";
import { webhooksRouter } from "./webhooks";

/** Every resource in one Worker, plus outbox delivery (queue) and the cron: what `wrangler dev` runs. */
export const app = buildApp([
  organisationsRouter,
  membersRouter,
  rolesRouter,
  serviceAccountsRouter,
  auditEventsRouter,
  invitationsRouter,
  opportunityWorkersRouter,
  webhooksRouter,
  oauthRouter,
]);
app.route("/", createMetaRouter(documentOf(app, "1.0.0")));

export default workerEntry(app, { queue, scheduled });
