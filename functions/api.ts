// Every resource router in one app, with the document and the reference page: what the gateway Worker serves,
// and what Node scripts (the document, the bench) load without the Workers runtime.
import { analyticsRouter } from "./analytics";
import { auditEventsRouter } from "./audit-events";
import { calendarFeedsRouter } from "./calendar-feeds";
import { deliverUnitsRouter } from "./deliver-units";
import { deliveryTypesRouter } from "./delivery-types";
import { exportsRouter } from "./exports";
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
import { buildApp } from "./platform/app";
import { documentOf } from "./platform/openapi";
import { platformAdminRouter } from "./platform-admin";
import { programApplicationsRouter } from "./program-applications";
import { programsRouter } from "./programs";
import { rolesRouter } from "./roles";
import { serviceAccountsRouter } from "./service-accounts";
import { skillsRouter } from "./skills";
import { usersRouter } from "./users";
import { webhooksRouter } from "./webhooks";

export const app = buildApp([
  organisationsRouter,
  membersRouter,
  rolesRouter,
  serviceAccountsRouter,
  auditEventsRouter,
  exportsRouter,
  analyticsRouter,
  calendarFeedsRouter,
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
