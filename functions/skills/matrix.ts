import { z } from "@hono/zod-openapi";
import { asc, inArray } from "drizzle-orm";
import { skills } from "../../schema";
import type { Queryable } from "../platform/db";
import { validationError } from "../platform/errors";
import { ID_PREFIX, parseTypeId, toTypeId } from "../platform/ids";

/** A skill matrix as the API takes it: `{skill_id: level}`, levels 1–5, at most `max` skills. */
export function skillMatrixInput(max: number, description: string) {
  // A record drops a `__proto__` key without a word (JSON.parse makes it an own key): refused here instead.
  const noPrototypeKey = z.unknown().superRefine((raw, ctx) => {
    if (raw !== null && typeof raw === "object" && Object.hasOwn(raw, "__proto__")) {
      ctx.addIssue({ code: "custom", path: ["__proto__"], message: `must be a skill id starting with "skl_"` });
    }
  });
  const matrix = z
    .record(
      z.string().max(90),
      z.number().int("must be a whole number").min(1, "must be at least 1").max(5, "must be at most 5"),
    )
    .superRefine((matrix, ctx) => {
      const keys = Object.keys(matrix);
      if (keys.length > max) ctx.addIssue({ code: "custom", message: `must have at most ${max} skills` });
      for (const key of keys) {
        if (parseTypeId(ID_PREFIX.skill, key) === null) {
          ctx.addIssue({ code: "custom", path: [key], message: `must be a skill id starting with "skl_"` });
        }
      }
    })
    .transform(
      (matrix) =>
        new Map(Object.entries(matrix).map(([key, level]) => [parseTypeId(ID_PREFIX.skill, key) as string, level])),
    );
  return noPrototypeKey.pipe(matrix).openapi({
    type: "object",
    description,
    additionalProperties: { type: "integer", format: "int32", minimum: 1, maximum: 5 },
    maxProperties: max,
    example: { skl_01h455vb4pex5vsknk084sn02q: 4 },
  });
}

/** The API side of a stored matrix: `{skill_id: level}`. */
export function presentMatrix(rows: { skillId: string; level: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [toTypeId(ID_PREFIX.skill, row.skillId), row.level]));
}

/**
 * Every skill of a matrix exists and is not retired, except the ones the matrix already held (a retired skill
 * stays where it was, but is refused in new ones): else a 400 on `<field>.<skill id>`. The skills checked are
 * share-locked until the transaction ends, so retiring one waits for the matrix being written with it.
 */
export async function assertSkillsUsable(
  db: Queryable,
  field: string,
  matrix: ReadonlyMap<string, number>,
  alreadyHeld: ReadonlySet<string> = new Set(),
): Promise<void> {
  const ids = [...matrix.keys()];
  if (ids.length === 0) return;
  // Share-locked in id order (within a transaction): a skill being retired meanwhile waits for this write, or
  // has retired first and is refused here.
  const found = await db
    .select({ id: skills.id, retiredAt: skills.retiredAt })
    .from(skills)
    .where(inArray(skills.id, ids))
    .orderBy(asc(skills.id))
    .for("share");
  const byId = new Map(found.map((skill) => [skill.id, skill]));
  const problems: Record<string, string[]> = {};
  for (const id of ids) {
    const skill = byId.get(id);
    const key = `${field}.${toTypeId(ID_PREFIX.skill, id)}`;
    if (!skill) problems[key] = ["is not a skill of the catalog (GET /v1/skills)"];
    else if (skill.retiredAt && !alreadyHeld.has(id))
      problems[key] = ["is retired: it stays where it is, but cannot be added"];
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
}
