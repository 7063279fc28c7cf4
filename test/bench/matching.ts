// Matching at scale: GET /v1/opportunities/{id}/matches (volunteers for an opportunity) and GET
// /v1/users/me/matches (opportunities for a volunteer) over 10k → 100k → 1M generated discoverable profiles and
// 100k open opportunities (matching-data.ts), each call through `app.request` as the round trips are measured.
//
// The typical opportunity requires three skills of middling popularity (ranks 20, 25, 30 of 100, level 3) and
// prefers two (ranks 10, 45), meets Mon and Wed 18:00–20:00 UTC, asks 5 h a week, remote. The typical volunteer
// holds nine skills of mixed popularity (ranks 1, 3, 8, 15, 25, 40, 60, 75, 90, level 3), is free Mon and Wed
// 18:00–21:00 and Sat 09:00–14:00 UTC, 10 h a week, remote or hybrid, engineering. The reference is one sequential
// scan of the profile rows on the same database (`select count(*)` with index scans off), timed in the same run.
import type { PoolClient } from "@neondatabase/serverless";
import { DEV_ISSUER, signDevToken } from "../../db/local/keys";
import { nodeDatabase } from "../../db/node-client";
import { rankOpportunities } from "../../functions/matching/opportunities";
import { rankVolunteers } from "../../functions/matching/volunteers";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { generateCatalog, generateOpportunities, generateProfiles, settle, skillOfRank } from "./matching-data";
import { type BenchStack, call, type Section, summarise, table } from "./setup";

export const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const CHUNK = 100_000;
const WARM_UP = 3;
const CALLS = 30;
const TARGET_MS = 100;
const TYPICAL_OPPORTUNITY = "00000000-0000-4000-8000-00000000b001";
const TYPICAL_VOLUNTEER = "00000000-0000-4000-8000-00000000b002";
const VOLUNTEER_EMAIL = "volunteer@bench.test";
const REQUIRED = [20, 25, 30];
const PREFERRED = [10, 45];
const HELD = [1, 3, 8, 15, 25, 40, 60, 75, 90];
const VOLUNTEER_MINUTES = "{[1080,1260),[3960,4140),[7740,8040)}";

const progress = (line: string) => console.error(`[bench] matching: ${line}`);
const ms = (x: number) => x.toFixed(1);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function timedStep<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const result = await run();
  progress(`${label} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

async function typicalRows(client: PoolClient, organisationUuid: string): Promise<void> {
  const ranks = (list: number[]) => list.map(skillOfRank).join(", ");
  for (const statement of [
    `insert into opportunities (id, organisation_id, name, visibility, status, start_date, work_environment,
       min_hours_per_week, meeting_minutes)
     values ('${TYPICAL_OPPORTUNITY}', '${organisationUuid}', 'Typical opportunity', 'public', 'open', '2026-01-01',
       'remote', 5, '{[1080,1200),[3960,4080)}')`,
    `insert into opportunity_skills (opportunity_id, skill_id, requirement, level)
     select '${TYPICAL_OPPORTUNITY}'::uuid, id, 'required', 3 from unnest(array[${ranks(REQUIRED)}]) id
     union all select '${TYPICAL_OPPORTUNITY}'::uuid, id, 'preferred', 2 from unnest(array[${ranks(PREFERRED)}]) id`,
    `insert into users (id, issuer, subject, email, email_verified, name)
     values ('${TYPICAL_VOLUNTEER}', '${DEV_ISSUER}', 'dev|${VOLUNTEER_EMAIL}', '${VOLUNTEER_EMAIL}', true, 'Typical volunteer')`,
    `insert into volunteer_profiles (user_id, practice_area, max_hours_per_week, available_minutes, work_environments, discoverable)
     values ('${TYPICAL_VOLUNTEER}', 'engineering', 10, '${VOLUNTEER_MINUTES}', '{remote,hybrid}', true)`,
    `insert into profile_skills (user_id, skill_id, level)
     select '${TYPICAL_VOLUNTEER}'::uuid, id, 3 from unnest(array[${ranks(HELD)}]) id`,
  ]) {
    await client.query(statement);
  }
}

/** One sequential scan of the profile rows (index scans off), the median of five. */
async function sequentialScan(client: PoolClient): Promise<number> {
  await client.query("set enable_indexscan = off; set enable_indexonlyscan = off; set enable_bitmapscan = off");
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    await client.query("select count(*) from volunteer_profiles");
    if (i > 0) times.push(performance.now() - start);
  }
  await client.query("reset enable_indexscan; reset enable_indexonlyscan; reset enable_bitmapscan");
  return summarise(times).p50;
}

interface Measured {
  p50: number;
  p95: number;
  heapBefore: number;
  heapAfter: number;
  heapMax: number;
}

async function measure(stack: BenchStack, path: string, token: string): Promise<Measured> {
  for (let i = 0; i < WARM_UP; i++) {
    const reply = await call(stack, "GET", path, undefined, token);
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  const times: number[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    const reply = await call(stack, "GET", path, undefined, token);
    times.push(performance.now() - start);
    if (reply.status !== 200 || reply.body.data.length !== 20) throw new Error(`${path}: ${reply.status}`);
    heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1] ?? Number.NaN;
  return { p50: summarise(times).p50, p95, heapBefore, heapAfter: process.memoryUsage().heapUsed, heapMax };
}

/** The SQL statement alone (no HTTP, no auth), median of ten, and how many candidates it scored. */
async function sqlAlone(run: () => Promise<{ evaluated: number }[]>): Promise<{ p50: number; evaluated: number }> {
  const times: number[] = [];
  let evaluated = 0;
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    const rows = await run();
    if (i > 0) times.push(performance.now() - start);
    evaluated = rows[0]?.evaluated ?? 0;
  }
  return { p50: summarise(times).p50, evaluated };
}

export function matching(sizes: number[]) {
  return async (stack: BenchStack): Promise<Section> => {
    const { db, pool } = nodeDatabase(stack.env.DATABASE_URL, stack.env.LOCAL_WS_PROXY);
    const client = await pool.connect();
    const rows: (string | number)[][] = [
      ["profiles", "call", "pool", "scored", "p50 ms", "p95 ms", "SQL ms", "seq scan ms", "p50/scan", "verdict"],
    ];
    const memory: string[] = [];
    const byCall = new Map<string, Map<number, number>>();
    try {
      await timedStep("catalog of 100 skills", () => generateCatalog(client));
      await timedStep("100k open opportunities", () => generateOpportunities(client));
      await typicalRows(client, stack.organisationUuid);
      const volunteerToken = await signDevToken(stack.keys, { email: VOLUNTEER_EMAIL });
      const opportunityId = toTypeId(ID_PREFIX.opportunity, TYPICAL_OPPORTUNITY);
      const required = REQUIRED.map(skillOfRank).join(", ");
      const held = HELD.map(skillOfRank).join(", ");
      let loaded = 1;
      for (const size of [...sizes].sort((a, b) => a - b)) {
        for (let from = loaded; from <= size; from += CHUNK) {
          const to = Math.min(size, from + CHUNK - 1);
          await timedStep(`profiles ${from}–${to}`, () => generateProfiles(client, from, to));
        }
        loaded = size + 1;
        await timedStep("vacuum analyze", () => settle(client));
        const scan = await sequentialScan(client);
        const [volunteerPool, opportunityPool] = await Promise.all([
          client.query(`select count(distinct user_id)::int as n from profile_skills where skill_id in (${required})`),
          client.query(`select count(distinct s.opportunity_id)::int as n from opportunity_skills s
            join opportunities o on o.id = s.opportunity_id and o.status = 'open' and o.visibility = 'public'
            where s.skill_id in (${held})`),
        ]);
        const volunteers = await measure(stack, `/v1/opportunities/${opportunityId}/matches?limit=20`, stack.token);
        const opportunities = await measure(stack, "/v1/users/me/matches?limit=20", volunteerToken);
        const volunteerSql = await sqlAlone(() =>
          rankVolunteers(db, {
            opportunityId: TYPICAL_OPPORTUNITY,
            organisationId: stack.organisationUuid,
            minHours: 5,
            environment: "remote",
            meetingMinutes: "{[1080,1200),[3960,4080)}",
            features: ["v", "a", "p"],
            strict: false,
            limit: 20,
          }),
        );
        const volunteer = {
          userId: TYPICAL_VOLUNTEER,
          practiceArea: "engineering",
          maxHoursPerWeek: 10,
          workEnvironments: ["remote", "hybrid"],
          availableMinutes: VOLUNTEER_MINUTES,
        };
        const opportunitySql = await sqlAlone(() => rankOpportunities(db, { volunteer, strict: false, limit: 20 }));
        const label = size.toLocaleString("en");
        for (const [name, measured, sqlMs, scored, poolSize] of [
          [
            "volunteers for the opportunity",
            volunteers,
            volunteerSql.p50,
            volunteerSql.evaluated,
            volunteerPool.rows[0].n,
          ],
          [
            "opportunities for the volunteer",
            opportunities,
            opportunitySql.p50,
            opportunitySql.evaluated,
            opportunityPool.rows[0].n,
          ],
        ] as const) {
          const within = measured.p50 <= scan && measured.p50 < TARGET_MS;
          rows.push([
            label,
            name,
            poolSize,
            scored,
            ms(measured.p50),
            ms(measured.p95),
            ms(sqlMs),
            ms(scan),
            (measured.p50 / scan).toFixed(2),
            within ? "PASS" : "OVER",
          ]);
          memory.push(
            `${label} ${name}: heap ${mb(measured.heapBefore)} before, ${mb(measured.heapAfter)} after, ` +
              `${mb(measured.heapMax)} at most during ${CALLS} calls`,
          );
          if (!byCall.has(name)) byCall.set(name, new Map());
          byCall.get(name)!.set(size, measured.p50);
        }
      }
    } finally {
      client.release();
      await pool.end();
    }
    const growth = [...byCall].flatMap(([name, times]) => {
      const [a, b] = [times.get(100_000), times.get(1_000_000)];
      return a && b ? [`${name}: p50 ×${(b / a).toFixed(2)} from 100k to 1M profiles (profiles ×10)`] : [];
    });
    return {
      title: `Matching at scale (top 20 through app.request, ${CALLS} calls after ${WARM_UP} warm-up; 100k open opportunities)`,
      lines: [
        ...table(rows),
        "",
        "pool = candidates by the index definition (profiles holding a required skill; open public opportunities",
        "requiring or preferring one of the volunteer's skills); scored = rows the statement read and scored exactly;",
        "SQL ms = the matching statement alone; seq scan = one count(*) over volunteer_profiles with index scans off.",
        `Target: p50 at or below one sequential scan and under ${TARGET_MS} ms.`,
        ...growth,
        ...memory,
      ],
    };
  };
}
