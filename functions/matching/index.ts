import { createRouter } from "../platform/router";
import * as forOpportunity from "./for-opportunity";
import * as mine from "./mine";

export const matchingRouter = createRouter()
  .openapi(forOpportunity.route, forOpportunity.handler)
  .openapi(mine.route, mine.handler);
