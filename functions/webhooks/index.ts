import { createRouter } from "../platform/router";
import * as invitationEmails from "./invitation-emails";

export const webhooksRouter = createRouter().openapi(invitationEmails.route, invitationEmails.handler);
