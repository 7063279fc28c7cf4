import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Git-ignored local state: the Postgres data directory and the dev keys. */
export const DATA_DIR = path.join(ROOT, ".data");
export const DEV_KEYS_FILE = path.join(DATA_DIR, "dev-keys.json");
export const MIGRATIONS_DIR = path.join(ROOT, "db", "migrations");
