import { auditEventsRouter } from "./audit-events";
import { queue, scheduled } from "./background";
import { deliverUnitsRouter } from "./deliver-units";
import { deliveryTypesRouter } from "./delivery-types";
import { invitationsRouter } from "./invitations";
import { lookupsRouter } from "./lookups";
import { matchingRouter } from "./matching";
import { membersRouter } from "./members";
import { createMetaRouter } from "./meta";
import { oauthRouter } from "./oauth";
import { opportunitiesRouter } from "./opportunities";
import { opportunityInterestsRouter } from "./opportunity-interests";
import { opportunityWorkersRouter } from "./opportunity-workers";
import { organisationsRouter } from "./organisations";
import { paymentUnitsRouter } from "./payment-units";
import { buildApp, workerEntry } from "./platform/app";
import { documentOf } from "./platform/openapi";
import { platformAdminRouter } from "./platform-admin";
import { programApplicationsRouter } from "./program-applications";
import { programsRouter } from "./programs";
import { rolesRouter } from "./roles";
import { serviceAccountsRouter } from "./service-accounts";
import { skillsRouter } from "./skills";
import { usersRouter } from "./users";
import { webhooksRouter } from "./webhooks";

/** Every resource in one Worker, plus outbox delivery (queue) and the cron: what `wrangler dev` runs. */
export const app = buildApp([
  organisationsRouter,
  membersRouter,
  rolesRouter,
  serviceAccountsRouter,
  auditEventsRouter,
  invitationsRouter,
  programsRouter,
  programApplicationsRouter,
  opportunitiesRouter,
  opportunityWorkersRouter,
  opportunityInterestsRouter,
  usersRouter,
  webhooksRouter,
  oauthRouter,
  paymentUnitsRouter,
  deliverUnitsRouter,
  lookupsRouter,
  deliveryTypesRouter,
  platformAdminRouter,
  skillsRouter,
  matchingRouter,
]);
app.route("/", createMetaRouter(documentOf(app, "1.0.0")));

export default workerEntry(app, { queue, scheduled });

/** Every Worker's rate-limit buckets live here (the resource Workers bind to this class by script name). */
export { RateLimiter } from "./platform/rate-limit";
