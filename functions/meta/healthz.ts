import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { configOf } from "../platform/config";
import { ApiError } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";

const HealthSchema = z
  .object({
    status: z.literal("ok").openapi({ description: "Always `ok` on a 200." }),
    version: z.string().max(40).openapi({ description: "The deployed version (`APP_VERSION`)." }),
    database: z.literal("reachable").openapi({ description: "The database answered `select 1`." }),
  })
  .openapi("Health", { example: { status: "ok", version: "1.0.0", database: "reachable" } });

export const route = defineRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["Platform"],
  summary: "Liveness and database reachability",
  description:
    "200 when the Worker runs and the database answers; 503 `service_unavailable` (with `database: " +
    '"unreachable"`) when it does not. For load balancers and uptime checks; never cached.',
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
