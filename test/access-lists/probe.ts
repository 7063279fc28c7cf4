// A small app of probe routes over the real loaders (reachProgram, reachOpportunity, programGranted,
// opportunityVisibleTo), with the real auth, tenancy and database: the access list's effect tested now, before
// the programs, opportunities and units endpoints that use these loaders are merged.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { z } from "@hono/zod-openapi";
import { and, asc } from "drizzle-orm";
import { opportunityVisibleTo, reachOpportunity } from "../../functions/opportunities/reach";
import { buildApp } from "../../functions/platform/app";
import { ID_PREFIX, toTypeId, typeIdSchema } from "../../functions/platform/ids";
import { createRouter, defineRoute } from "../../functions/platform/router";
import { tenancy } from "../../functions/platform/tenancy";
import { programGranted, reachProgram } from "../../functions/programs/reach";
import { opportunities, programs } from "../../schema";
import { testEnv } from "../harness";

const Reached = z.object({ side: z.string() });
const Ids = z.object({ data: z.array(z.string()) });
const json = <T extends z.ZodType>(schema: T) => ({
  200: { description: "probe", content: { "application/json": { schema } } },
});
const Id = (prefix: (typeof ID_PREFIX)[keyof typeof ID_PREFIX]) => z.object({ id: typeIdSchema(prefix) });
const Org = z.object({ organisation_id: typeIdSchema(ID_PREFIX.organisation) });

const readProgram = defineRoute({
  method: "get",
  path: "/probe/programs/{id}",
  access: {},
  request: { params: Id(ID_PREFIX.program) },
  responses: json(Reached),
});
const writeProgram = defineRoute({
  method: "get",
  path: "/probe/programs/{id}/write",
  access: { permission: "programs:write" },
  request: { params: Id(ID_PREFIX.program) },
  responses: json(Reached),
});
const readOpportunity = defineRoute({
  method: "get",
  path: "/probe/opportunities/{id}",
  access: {},
  request: { params: Id(ID_PREFIX.opportunity) },
  responses: json(Reached),
});
const writeOpportunity = defineRoute({
  method: "get",
  path: "/probe/opportunities/{id}/write",
  access: {},
  request: { params: Id(ID_PREFIX.opportunity) },
  responses: json(Reached),
});
const listPrograms = defineRoute({
  method: "get",
  path: "/probe/programs",
  access: {},
  request: { query: Org },
  responses: json(Ids),
});
const listOpportunities = defineRoute({
  method: "get",
  path: "/probe/opportunities",
  access: {},
  request: { query: Org },
  responses: json(Ids),
});

const probes = createRouter()
  .openapi(readProgram, async (c) => c.json({ side: (await reachProgram(c, c.req.valid("param").id)).side }, 200))
  .openapi(writeProgram, async (c) => c.json({ side: (await reachProgram(c, c.req.valid("param").id)).side }, 200))
  .openapi(readOpportunity, async (c) =>
    c.json({ side: (await reachOpportunity(c, c.req.valid("param").id)).side }, 200),
  )
  .openapi(writeOpportunity, async (c) =>
    c.json({ side: (await reachOpportunity(c, c.req.valid("param").id, { write: true })).side }, 200),
  )
  .openapi(listPrograms, async (c) => {
    // What a program list does: the organisation's own programs, within the caller's access list.
    const ctx = await tenancy(c).enter(c.req.valid("query").organisation_id);
    const rows = await ctx.db
      .select({ id: programs.id })
      .from(programs)
      .where(and(ctx.scope(programs.organisationId), programGranted(ctx.caller, programs.id)))
      .orderBy(asc(programs.id));
    return c.json({ data: rows.map((row) => toTypeId(ID_PREFIX.program, row.id)) }, 200);
  })
  .openapi(listOpportunities, async (c) => {
    const ctx = await tenancy(c).enter(c.req.valid("query").organisation_id);
    const rows = await ctx.db
      .select({ id: opportunities.id })
      .from(opportunities)
      .where(opportunityVisibleTo(ctx))
      .orderBy(asc(opportunities.id));
    return c.json({ data: rows.map((row) => toTypeId(ID_PREFIX.opportunity, row.id)) }, 200);
  });

const app = buildApp([probes]);

/** A probe request: the status and, on success, what the loader found. */
export async function probe(path: string, token: string): Promise<{ status: number; body: any }> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`https://api.test.muster${path}`, { headers: { authorization: `Bearer ${token}` } }),
    testEnv as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: await response.json() };
}
