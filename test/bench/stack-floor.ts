// The fixed stack alone, as a Worker: one contract route (Hono, @hono/zod-openapi and zod, through the same zod
// as the Workers), its OpenAPI document, a Drizzle query over a Neon pool, and a jose verification. Nothing of
// ours. The bundle bench dry-runs it like a Worker, so its size is the floor under every Worker's target.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-serverless";
import { createLocalJWKSet, jwtVerify } from "jose";

const app = new OpenAPIHono<{ Bindings: { DATABASE_URL: string; JWKS: string } }>();

const route = createRoute({
  method: "get",
  path: "/{id}",
  request: { params: z.object({ id: z.string().uuid() }), headers: z.object({ authorization: z.string() }) },
  responses: {
    200: {
      description: "ok",
      content: { "application/json": { schema: z.object({ id: z.string(), at: z.string() }) } },
    },
  },
});

app.openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  await jwtVerify(c.req.valid("header").authorization.slice(7), createLocalJWKSet(JSON.parse(c.env.JWKS)));
  const pool = new Pool({ connectionString: c.env.DATABASE_URL });
  try {
    const result = await drizzle(pool).execute(sql`select now()::text as at`);
    return c.json({ id, at: String(result.rows[0]?.at) }, 200);
  } finally {
    await pool.end();
  }
});

app.doc("/openapi.json", { openapi: "3.1.0", info: { title: "floor", version: "1" } });

export default app;
