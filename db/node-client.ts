// The Neon serverless driver from Node (scripts): the same driver and Drizzle setup the Workers use.
import { neonConfig } from "@neondatabase/serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import ws from "ws";
import { type ConnectOptions, connectDatabase } from "../functions/platform/db";
import { MIGRATIONS_DIR } from "./paths";

neonConfig.webSocketConstructor = ws;

export function nodeDatabase(databaseUrl: string, localProxy?: string, options?: ConnectOptions) {
  return connectDatabase(databaseUrl, localProxy, options);
}

export async function applyMigrations(
  databaseUrl: string,
  localProxy?: string,
  options?: ConnectOptions,
): Promise<void> {
  const { db, pool } = nodeDatabase(databaseUrl, localProxy, options);
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await pool.end();
  }
}
