import { createRouter } from "../platform/router";
import * as express from "./express";
import * as list from "./list";

/** Served by the opportunities Worker (its paths sit under /v1/opportunities), and by the gateway. */
export const opportunityInterestsRouter = createRouter()
  .openapi(express.route, express.handler)
  .openapi(list.route, list.handler);
