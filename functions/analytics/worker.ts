import { buildApp, workerEntry } from "../platform/app";
import { analyticsRouter } from ".";

export default workerEntry(buildApp([analyticsRouter]));
