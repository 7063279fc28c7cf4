// Attacks on the public catalog: drafts, members-only, on-hold, closed and filled opportunities must not leak to
// anyone outside, through the list, a get, `q`, filters or cursors, nor by answering differently from a missing one.
import { beforeAll, describe, expect, it } from "vitest";
import type { OpportunityStatus, Visibility } from "../../schema";
import {
  call,
  createTenant,
  insertApplication,
  insertOpportunity,
  insertProgram,
  type Made,
  type Reply,
  type Tenant,
  uniqueSuffix,
} from "../harness";

let owner: Tenant;
let stranger: Tenant;
const word = `leak${uniqueSuffix()}`;
const made: Record<string, Made> = {};
const STATUSES: OpportunityStatus[] = ["draft", "open", "on_hold", "closed", "filled"];
const VISIBILITIES: Visibility[] = ["public", "organisation"];
let published: string[];

beforeAll(async () => {
  [owner, stranger] = await Promise.all([createTenant("leak-owner"), createTenant("leak-stranger")]);
  const program = await insertProgram(stranger);
  await insertApplication(program.uuid, owner, "accepted");
  for (const managed of [false, true]) {
    for (const status of STATUSES) {
      for (const visibility of VISIBILITIES) {
        made[`${managed ? "managed" : "standalone"}/${status}/${visibility}`] = await insertOpportunity(owner, {
          status,
          visibility,
          name: `${word} ${status} ${visibility}`,
          role: `${word}-role`,
          shortDescription: `${word} short`,
          description: `${word} described at length`,
          ...(managed ? { programId: program.uuid, currency: "EUR", country: "DE", endDate: "2027-06-30" } : {}),
        });
      }
    }
  }
  published = [made["standalone/open/public"]!.id, made["managed/open/public"]!.id].sort();
});

const hidden = () => Object.entries(made).filter(([key]) => !key.endsWith("/open/public"));

/** Every opportunity id a list walks through, following its cursors to the end. */
async function walk(query: string, token?: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const reply: Reply = await call("GET", `/v1/opportunities?${query}&limit=3${cursor ? `&cursor=${cursor}` : ""}`, {
      token,
    });
    expect(reply.status, reply.text).toBe(200);
    seen.push(...reply.body.data.map((item: { id: string }) => item.id));
    cursor = reply.body.next_cursor;
  } while (cursor);
  return seen;
}

/** The callers from outside: anonymous, another organisation's owner, and its service account. */
const outsiders = () => [undefined, stranger.people.owner.token, stranger.serviceAccount.token];

describe("the list, for anyone outside", () => {
  it("only the open public ones come out, by q on every searched field, through every page", async () => {
    for (const token of outsiders()) {
      for (const q of [word, `${word}-role`, `"${word} short"`, `${word} described`, `${word} -open`]) {
        const ids = (await walk(`q=${encodeURIComponent(q)}`, token)).sort();
        expect(
          ids.every((id) => published.includes(id)),
          q,
        ).toBe(true);
      }
      expect((await walk(`q=${word}`, token)).sort()).toEqual(published);
    }
  });

  it("filters naming what is hidden find nothing", async () => {
    for (const token of outsiders()) {
      for (const filter of [
        "status=draft",
        "status=on_hold",
        "status=closed",
        "status=filled",
        "visibility=organisation",
      ]) {
        expect(await walk(`q=${word}&${filter}`, token), filter).toEqual([]);
      }
    }
  });

  it("a cursor taken from a member's list continues the public one only", async () => {
    const member = owner.people.viewer.token;
    const first = await call("GET", `/v1/opportunities?organisation_id=${owner.id}&limit=1`, { token: member });
    expect(first.body.has_more).toBe(true);
    const cursor = first.body.next_cursor as string;
    for (const token of outsiders()) {
      const reply = await call("GET", `/v1/opportunities?q=${word}&cursor=${cursor}`, { token });
      expect(reply.status).toBe(400);
      const plain = await call("GET", `/v1/opportunities?cursor=${cursor}&limit=100`, { token });
      const ids = plain.body.data.map((item: { id: string }) => item.id);
      for (const [key, opportunity] of hidden()) expect(ids, key).not.toContain(opportunity.id);
    }
  });

  it("with the owner's organisation_id, an outsider gets 404 (anonymous 401), not the members' view", async () => {
    expect((await call("GET", `/v1/opportunities?organisation_id=${owner.id}`)).status).toBe(401);
    for (const token of outsiders().slice(1)) {
      const reply = await call("GET", `/v1/opportunities?organisation_id=${owner.id}&q=${word}`, { token });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("not_found");
    }
  });

  it("the program's organisation sees the managed ones with its own organisation_id; not the standalone ones", async () => {
    const ids = await walk(`organisation_id=${stranger.id}&q=${word}`, stranger.people.owner.token);
    const managed = Object.entries(made).filter(([key]) => key.startsWith("managed/"));
    expect(ids.sort()).toEqual(managed.map(([, opportunity]) => opportunity.id).sort());
  });
});

describe("a get, for anyone outside", () => {
  it("answers a hidden one exactly as it answers one that does not exist", async () => {
    const missing = "opp_01h455vb4pex5vsknk084sn02q";
    for (const token of outsiders()) {
      const absent = await call("GET", `/v1/opportunities/${missing}`, { token });
      for (const [key, opportunity] of hidden()) {
        // The program's organisation reaches the managed ones (below); its service account has no grant.
        if (key.startsWith("managed/") && token === stranger.people.owner.token) continue;
        const reply = await call("GET", `/v1/opportunities/${opportunity.id}`, { token });
        expect(reply.status, key).toBe(404);
        const { request_id: _, ...error } = reply.body.error;
        const { request_id: __, ...absentError } = absent.body.error;
        expect(error, key).toEqual(absentError);
        expect(reply.headers.get("cache-control")).toBe("no-store");
      }
      for (const id of published) expect((await call("GET", `/v1/opportunities/${id}`, { token })).status).toBe(200);
    }
  });

  it("the program's organisation reads every managed one, whatever its status; never a standalone hidden one", async () => {
    const token = stranger.people.owner.token;
    for (const [key, opportunity] of Object.entries(made)) {
      const expected = key.startsWith("managed/") || key.endsWith("/open/public") ? 200 : 404;
      expect((await call("GET", `/v1/opportunities/${opportunity.id}`, { token })).status, key).toBe(expected);
    }
  });
});
