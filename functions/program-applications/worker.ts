import { buildApp, workerEntry } from "../platform/app";
import { programApplicationsRouter } from ".";

export default workerEntry(buildApp([programApplicationsRouter]));
