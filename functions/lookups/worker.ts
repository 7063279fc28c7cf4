import { buildApp, workerEntry } from "../platform/app";
import { lookupsRouter } from ".";

export default workerEntry(buildApp([lookupsRouter]));
