import { buildApp, workerEntry } from "../platform/app";
import { skillsRouter } from ".";

export default workerEntry(buildApp([skillsRouter]));
