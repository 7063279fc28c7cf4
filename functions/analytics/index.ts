import { createRouter } from "../platform/router";
import * as dashboard from "./dashboard";

export const analyticsRouter = createRouter().openapi(dashboard.route, dashboard.handler);
