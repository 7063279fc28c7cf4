import { describe, expect, it } from "vitest";
import { call, createTenant, personToken, uniqueSuffix } from "./harness";

describe("organisations", () => {
  it("the creator of an organisation becomes its owner and sees it in their list", async () => {
    const token = await personToken({ email: `founder-${uniqueSuffix()}@example.test` });
    const created = await call("POST", "/v1/organisations", { token, body: { name: "  Acme <b>Ltd</b> " } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "organisation", name: "Acme Ltd", exclusive_membership: false });
    const mine = await call("GET", "/v1/organisations", { token });
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    const members = await call("GET", `/v1/members?organisation_id=${created.body.id}`, { token });
    expect(members.body.data).toHaveLength(1);
    expect(members.body.data[0].role.key).toBe("owner");
  });

  it("a tenant has every built-in role", async () => {
    const tenant = await createTenant("smoke");
    const members = await call("GET", `/v1/members?organisation_id=${tenant.id}`, {
      token: tenant.people.viewer.token,
    });
    expect(members.status).toBe(200);
    expect(members.body.data.map((m: { role: { key: string } }) => m.role.key).sort()).toEqual([
      "admin",
      "manager",
      "member",
      "owner",
      "viewer",
    ]);
  });
});
