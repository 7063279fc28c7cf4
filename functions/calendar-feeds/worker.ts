import { buildApp, workerEntry } from "../platform/app";
import { calendarFeedsRouter } from ".";

export default workerEntry(buildApp([calendarFeedsRouter]));
