import { buildApp, workerEntry } from "../platform/app";
import { rolesRouter } from ".";

export default workerEntry(buildApp([rolesRouter]));
