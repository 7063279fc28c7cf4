import { buildApp, workerEntry } from "../platform/app";
import { organisationsRouter } from ".";

export default workerEntry(buildApp([organisationsRouter]));
