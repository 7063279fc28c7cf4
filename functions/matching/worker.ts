import { buildApp, workerEntry } from "../platform/app";
import { matchingRouter } from ".";

// Serves /v1/users/me/matches; /v1/opportunities/{id}/matches sits under the opportunities Worker's prefix, which
// mounts this router too.
export default workerEntry(buildApp([matchingRouter]));
