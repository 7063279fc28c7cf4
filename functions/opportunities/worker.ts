import { buildApp, workerEntry } from "../platform/app";
import { opportunitiesRouter } from ".";

export default workerEntry(buildApp([opportunitiesRouter]));
