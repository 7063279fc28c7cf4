// What the interest suites share: a volunteer with a profile, and the calls they make.

import { call, type Reply } from "../harness";
import { newPerson, patchMe } from "../users/helpers";

export interface Volunteer {
  email: string;
  token: string;
  userId: string;
}

/** Someone new with a volunteer profile (a practice area and a name of their choosing). */
export async function volunteer(label = "keen", name = `Volunteer ${label}`): Promise<Volunteer> {
  const person = await newPerson(label);
  const reply = await patchMe(person.token, { name, practice_area: "engineering", discoverable: true });
  if (reply.status !== 200) throw new Error(`profile setup failed: ${reply.text}`);
  return { ...person, userId: reply.body.id };
}

export const expressInterest = (opportunityId: string, token: string, body?: unknown): Promise<Reply> =>
  call("POST", `/v1/opportunities/${opportunityId}:express-interest`, {
    token,
    ...(body !== undefined ? { body } : {}),
  });

export const listInterests = (opportunityId: string, token: string, query = ""): Promise<Reply> =>
  call("GET", `/v1/opportunities/${opportunityId}/interests${query}`, { token });
