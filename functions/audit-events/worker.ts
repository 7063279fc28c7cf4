import { buildApp, workerEntry } from "../platform/app";
import { auditEventsRouter } from ".";

export default workerEntry(buildApp([auditEventsRouter]));
