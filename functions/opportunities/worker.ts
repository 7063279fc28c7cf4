import { matchingRouter } from "../matching";
import { opportunityInterestsRouter } from "../opportunity-interests";
import { opportunityWorkersRouter } from "../opportunity-workers";
import { buildApp, workerEntry } from "../platform/app";
import { opportunitiesRouter } from ".";

// `:invite`, `/workers`, `:express-interest`, `/interests` and `/matches` live under this Worker's route
// (/v1/opportunities*), so it serves them too.
export default workerEntry(
  buildApp([opportunitiesRouter, opportunityWorkersRouter, opportunityInterestsRouter, matchingRouter]),
);
