import { createRouter } from "../platform/router";
import * as get from "./get";
import * as me from "./me";
import * as updateMe from "./update-me";

// `/v1/users/me` before `/v1/users/{id}`: the first route that answers wins, and `me` is no `usr_` id anyway (400).
export const usersRouter = createRouter()
  .openapi(me.route, me.handler)
  .openapi(updateMe.route, updateMe.handler)
  .openapi(get.route, get.handler);
