import { createRouter } from "../platform/router";
import * as create from "./create";
import * as remove from "./delete";
import * as feed from "./feed";
import * as list from "./list";
import * as status from "./status";

export const calendarFeedsRouter = createRouter()
  .openapi(status.route, status.handler)
  .openapi(create.route, create.handler)
  .openapi(list.route, list.handler)
  .openapi(feed.route, feed.handler)
  .openapi(remove.route, remove.handler);
