import { createRouter } from "../platform/router";
import * as list from "./list";

export const auditEventsRouter = createRouter().openapi(list.route, list.handler);
