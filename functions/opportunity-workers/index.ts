import { createRouter } from "../platform/router";
import * as invite from "./invite";
import * as mine from "./mine";
import * as workers from "./workers";

export const opportunityWorkersRouter = createRouter()
  .openapi(invite.route, invite.handler)
  .openapi(workers.route, workers.handler)
  .openapi(mine.route, mine.handler);
