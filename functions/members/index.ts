import { createRouter } from "../platform/router";
import * as remove from "./delete";
import * as get from "./get";
import * as getAccess from "./get-access";
import * as list from "./list";
import * as replaceAccess from "./replace-access";
import * as update from "./update";

export const membersRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(get.route, get.handler)
  .openapi(update.route, update.handler)
  .openapi(remove.route, remove.handler)
  .openapi(getAccess.route, getAccess.handler)
  .openapi(replaceAccess.route, replaceAccess.handler);
