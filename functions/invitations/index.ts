import { createRouter } from "../platform/router";
import * as accept from "./accept";
import * as bulk from "./bulk";
import * as cancel from "./cancel";
import * as create from "./create";
import * as decline from "./decline";
import * as get from "./get";
import * as list from "./list";
import * as lookup from "./lookup";
import * as resend from "./resend";

export const invitationsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(bulk.route, bulk.handler)
  .openapi(lookup.route, lookup.handler)
  .openapi(accept.route, accept.handler)
  .openapi(decline.route, decline.handler)
  .openapi(get.route, get.handler)
  .openapi(cancel.route, cancel.handler)
  .openapi(resend.route, resend.handler);

// The bulk body's rows are validated one by one (a bad row does not fail the rest), so the document learns their
// shape here rather than from the body's schema.
invitationsRouter.openAPIRegistry.register("BulkInvitationRow", bulk.BulkRow);
