import { createRouter } from "../platform/router";
import * as invitationEmails from "./invitation-emails";
import * as smsStatus from "./sms-status";

export const webhooksRouter = createRouter()
  .openapi(invitationEmails.route, invitationEmails.handler)
  .openapi(smsStatus.route, smsStatus.handler);
