import { createRouter } from "../platform/router";
import * as create from "./create";
import * as remove from "./delete";
import * as get from "./get";
import * as ipAllowlist from "./ip-allowlist";
import * as list from "./list";
import * as plan from "./plan";
import * as transferOwnership from "./transfer-ownership";
import * as update from "./update";

export const organisationsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(get.route, get.handler)
  .openapi(update.route, update.handler)
  .openapi(remove.route, remove.handler)
  .openapi(transferOwnership.route, transferOwnership.handler)
  .openapi(plan.route, plan.handler)
  .openapi(ipAllowlist.route, ipAllowlist.handler);
