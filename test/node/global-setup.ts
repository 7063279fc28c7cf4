// Before the Node suites run: the dev scripts sign with the dev keys; create them once here rather than in
// racing children, or in suites that run side by side.
import { loadOrCreateDevKeys } from "../../db/local/keys";
import { DEV_KEYS_FILE } from "../../db/paths";

export default async function setup(): Promise<void> {
  await loadOrCreateDevKeys(DEV_KEYS_FILE);
}
