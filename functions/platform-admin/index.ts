import { createRouter } from "../platform/router";
import * as updateOrganisation from "./update-organisation";

/** What only platform administrators (PLATFORM_ADMINS) may do, under /v1/platform. */
export const platformAdminRouter = createRouter().openapi(updateOrganisation.route, updateOrganisation.handler);
