import { buildApp, workerEntry } from "../platform/app";
import { programsRouter } from ".";

export default workerEntry(buildApp([programsRouter]));
