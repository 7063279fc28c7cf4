// Races between requests: run often enough to be lost, and exactly one winner each time.

import { expect } from "vitest";
import type { Reply } from "./call";

/** Of two racing requests exactly one succeeded, and the other was refused with this 409 code. */
export function expectOneWinner(replies: Reply[], loserCode: string) {
  const won = (reply: Reply) => reply.status >= 200 && reply.status < 300;
  expect(replies.filter(won), JSON.stringify(replies.map((reply) => reply.status))).toHaveLength(1);
  const loser = replies.find((reply) => !won(reply))!;
  expect(loser.status, loser.text).toBe(409);
  expect(loser.body.error.code).toBe(loserCode);
}

export const RACE_ROUNDS = 8;
export const RACES_PER_ROUND = 3;

/** A race run often enough to be lost: each round arranges fresh set-ups, then races them all at once. */
export async function raceRounds<T>(arrange: () => Promise<T>, race: (arranged: T) => Promise<void>): Promise<void> {
  for (let round = 0; round < RACE_ROUNDS; round++) {
    const arranged = await Promise.all(Array.from({ length: RACES_PER_ROUND }, arrange));
    await Promise.all(arranged.map(race));
  }
}
