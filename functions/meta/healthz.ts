import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { configOf } from "../platform/config";
import { ApiError } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    version: z.string().max(40),
    database: z.literal("reachable"),
  })
  .openapi("Health");

export const route = defineRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["Platform"],
  summary: "Liveness and database reachability",
  access: { public: true },
  responses: { 200: { description: "Healthy.", content: { "application/json": { schema: HealthSchema } } } },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  try {
    await c.get("db").execute(sql`select 1`);
  } catch {
    throw new ApiError("service_unavailable", "The database is unreachable.", { database: "unreachable" });
  }
  c.header("Cache-Control", "no-store");
  return c.json({ status: "ok" as const, version: configOf(c.env).APP_VERSION, database: "reachable" as const }, 200);
};
