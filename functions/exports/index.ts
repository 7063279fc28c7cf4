import { createRouter } from "../platform/router";
import * as auditEvents from "./audit-events";
import * as createJob from "./create-job";
import * as download from "./download";
import * as getJob from "./get-job";
import * as invitations from "./invitations";
import * as members from "./members";
import * as opportunities from "./opportunities";
import * as paymentUnits from "./payment-units";
import * as programs from "./programs";

// The lists first: `/v1/exports/members` is an export, not the job `members`.
export const exportsRouter = createRouter()
  .openapi(members.route, members.handler)
  .openapi(invitations.route, invitations.handler)
  .openapi(programs.route, programs.handler)
  .openapi(opportunities.route, opportunities.handler)
  .openapi(paymentUnits.route, paymentUnits.handler)
  .openapi(auditEvents.route, auditEvents.handler)
  .openapi(createJob.route, createJob.handler)
  .openapi(download.route, download.handler)
  .openapi(getJob.route, getJob.handler);
