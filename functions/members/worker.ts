import { buildApp, workerEntry } from "../platform/app";
import { membersRouter } from ".";

export default workerEntry(buildApp([membersRouter]));
