// A profile is its person's alone: /v1/users/{id} answers the caller's own id only, service accounts have no
// self, and `me` is never read as an id.
import { beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { call, createTenant, type Tenant } from "../harness";
import { getMe, newPerson, patchMe } from "./helpers";

let tenant: Tenant;
let volunteer: { email: string; token: string };
let volunteerId: string;
const BIO = "A bio only its author may read.";

beforeAll(async () => {
  [tenant, volunteer] = await Promise.all([createTenant("self-only"), newPerson("private")]);
  const reply = await patchMe(volunteer.token, { bio: BIO, discoverable: true, practice_area: "devops" });
  volunteerId = reply.body.id;
});

describe("GET /v1/users/{id}", () => {
  it("answers the caller's own id exactly like /v1/users/me", async () => {
    const reply = await call("GET", `/v1/users/${volunteerId}`, { token: volunteer.token });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual((await getMe(volunteer.token)).body);
  });

  it("is 404 for anyone else's id, the same as for an id nobody has (never 403)", async () => {
    for (const token of [tenant.people.owner.token, (await newPerson()).token]) {
      const other = await call("GET", `/v1/users/${volunteerId}`, { token });
      const nobody = await call("GET", `/v1/users/${toTypeId(ID_PREFIX.user, crypto.randomUUID())}`, { token });
      expect(other.status).toBe(404);
      expect(nobody.status).toBe(404);
      expect(other.body.error.message).toBe(nobody.body.error.message);
      expect(other.text).not.toContain(BIO);
    }
    const member = await call("GET", `/v1/users/${tenant.people.viewer.userId}`, { token: tenant.people.owner.token });
    expect(member.status, "not even a member of one's own organisation").toBe(404);
  });

  it("takes a usr_ id only: another prefix or a word is 400", async () => {
    for (const id of ["org_01h455vb4pex5vsknk084sn02q", "bogus", "mine"]) {
      const reply = await call("GET", `/v1/users/${id}`, { token: volunteer.token });
      expect(reply.status, id).toBe(400);
      expect(Object.keys(reply.body.error.fields)).toEqual(["id"]);
    }
  });
});

describe("routing under /v1/users", () => {
  it("`me` is never taken for an id; /v1/users/me/opportunities is still served; other methods are 405", async () => {
    expect((await getMe(volunteer.token)).body.id).toBe(volunteerId);
    const trailing = await call("GET", "/v1/users/me/", { token: volunteer.token });
    expect(trailing.body.id).toBe(volunteerId);
    const mine = await call("GET", "/v1/users/me/opportunities", { token: volunteer.token });
    expect(mine.status).toBe(200);
    expect(mine.body.object).toBe("list");
    const removed = await call("DELETE", "/v1/users/me", { token: volunteer.token });
    expect(removed.status).toBe(405);
    expect(removed.headers.get("allow")).toContain("PATCH");
  });
});

describe("people only", () => {
  it("a service account gets 403 on each route, whatever its role", async () => {
    const token = tenant.serviceAccount.token;
    const replies = [
      await call("GET", "/v1/users/me", { token }),
      await call("PATCH", "/v1/users/me", { token, body: { bio: "robot" } }),
      await call("GET", `/v1/users/${volunteerId}`, { token }),
    ];
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(403);
      expect(reply.body.error.code).toBe("permission_denied");
    }
  });

  it("a token without the create scope reads but does not change the profile", async () => {
    const member = tenant.people.member;
    const readOnly = await tenant.tokenFor("member", ["read"]);
    expect((await getMe(readOnly)).status).toBe(200);
    const refused = await patchMe(readOnly, { bio: "no" });
    expect(refused.status).toBe(403);
    expect((await getMe(member.token)).body.profile.bio).toBe("");
  });

  it("anonymous callers are 401", async () => {
    expect((await call("GET", "/v1/users/me")).status).toBe(401);
    expect((await call("PATCH", "/v1/users/me", { body: {} })).status).toBe(401);
    expect((await call("GET", `/v1/users/${volunteerId}`)).status).toBe(401);
  });
});
