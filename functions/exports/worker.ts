import { buildApp, workerEntry } from "../platform/app";
import { exportsRouter } from ".";

export default workerEntry(buildApp([exportsRouter]));
