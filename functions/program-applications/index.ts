import { createRouter } from "../platform/router";
import * as accept from "./accept";
import * as apply from "./apply";
import * as create from "./create";
import * as decline from "./decline";
import * as get from "./get";
import * as list from "./list";
import * as reject from "./reject";

export const programApplicationsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(get.route, get.handler)
  .openapi(apply.route, apply.handler)
  .openapi(decline.route, decline.handler)
  .openapi(accept.route, accept.handler)
  .openapi(reject.route, reject.handler);
