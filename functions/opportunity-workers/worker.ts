import { buildApp, workerEntry } from "../platform/app";
import { opportunityWorkersRouter } from ".";

export default workerEntry(buildApp([opportunityWorkersRouter]));
