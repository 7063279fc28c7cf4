import { buildApp, workerEntry } from "../platform/app";
import { usersRouter } from ".";

export default workerEntry(buildApp([usersRouter]));
