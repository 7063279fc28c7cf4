import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { opportunities } from "../../schema";
import {
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  RACE_ROUNDS,
  RACES_PER_ROUND,
  raceRounds,
  type Tenant,
  withDb,
} from "../harness";
import { createOpportunity, opportunityBody, patchOpportunity } from "./helpers";

let manager: Tenant;
let partner: Tenant;

beforeAll(async () => {
  [manager, partner] = await Promise.all([createTenant("budget-pm"), createTenant("budget-partner")]);
});

/** A program of `budget` EUR that the partner has an accepted application to. */
async function fundedProgram(budget: string) {
  const program = await insertProgram(manager, { budget });
  await insertApplication(program.uuid, partner, "accepted");
  return program;
}

const create = (programId: string, totalBudget: string | null) =>
  createOpportunity(
    partner.people.owner.token,
    opportunityBody(partner, { program_id: programId, total_budget: totalBudget }),
  );

const heldBy = async (programUuid: string) =>
  withDb(async (db) => {
    const [row] = await db
      .select({ sum: sql<string>`coalesce(sum(${opportunities.totalBudget}), 0)::text` })
      .from(opportunities)
      .where(eq(opportunities.programId, programUuid));
    return row!.sum;
  });

describe("a program's budget holds its opportunities' budgets", () => {
  it("up to the program's budget exactly; one cent more is a 400 on total_budget naming what is left", async () => {
    const program = await fundedProgram("1000.00");
    expect((await create(program.id, "400.00")).status).toBe(201);
    expect((await create(program.id, null)).status, "no budget claims nothing").toBe(201);
    const over = await create(program.id, "600.01");
    expect(over.status).toBe(400);
    expect(Object.keys(over.body.error.fields)).toEqual(["total_budget"]);
    expect(over.body.error.fields.total_budget[0]).toMatch(/600\.00 EUR of 1000\.00/);
    expect((await create(program.id, "600.00")).status).toBe(201);
    expect(await heldBy(program.uuid)).toBe("1000.0000");
  });

  it("the program's own opportunities and the partner's share the same budget", async () => {
    const program = await fundedProgram("500.00");
    await insertOpportunity(manager, {
      programId: program.uuid,
      currency: "EUR",
      country: "DE",
      totalBudget: "450.00",
      endDate: "2027-12-31",
    });
    const over = await create(program.id, "50.01");
    expect(over.status).toBe(400);
    expect(over.body.error.fields.total_budget[0]).toMatch(/50\.00 EUR/);
  });

  it("a PATCH counts the others, not the opportunity's own old budget", async () => {
    const program = await fundedProgram("1000.00");
    const first = await create(program.id, "700.00");
    await create(program.id, "200.00");
    const token = partner.people.owner.token;
    expect((await patchOpportunity(token, first.body.id, { total_budget: "800.00" })).status).toBe(200);
    const over = await patchOpportunity(token, first.body.id, { total_budget: "800.01" });
    expect(over.status).toBe(400);
    expect(over.body.error.fields.total_budget[0]).toMatch(/800\.00 EUR/);
    expect(await heldBy(program.uuid)).toBe("1000.0000");
  });

  it(`two parallel creates that each fit alone but not together: exactly one succeeds (${RACE_ROUNDS} rounds of ${RACES_PER_ROUND})`, async () => {
    await raceRounds(
      () => fundedProgram("100.00"),
      async (program) => {
        const replies = await Promise.all([create(program.id, "60.00"), create(program.id, "60.00")]);
        const statuses = replies.map((reply) => reply.status).sort();
        expect(statuses, replies.map((reply) => reply.text).join("\n")).toEqual([201, 400]);
        const loser = replies.find((reply) => reply.status === 400)!;
        expect(loser.body.error.fields.total_budget[0]).toMatch(/40\.00 EUR/);
        expect(await heldBy(program.uuid)).toBe("60.0000");
      },
    );
  });

  it("a create racing a PATCH of another opportunity's budget: the program never holds more than its budget", async () => {
    await raceRounds(
      async () => {
        const program = await fundedProgram("100.00");
        const existing = await create(program.id, "10.00");
        return { program, existingId: existing.body.id as string };
      },
      async ({ program, existingId }) => {
        const [patched, created] = await Promise.all([
          patchOpportunity(partner.people.owner.token, existingId, { total_budget: "60.00" }),
          create(program.id, "60.00"),
        ]);
        expect([patched.status, created.status].filter((status) => status < 300)).toHaveLength(1);
        expect(Number(await heldBy(program.uuid))).toBeLessThanOrEqual(100);
      },
    );
  });
});
