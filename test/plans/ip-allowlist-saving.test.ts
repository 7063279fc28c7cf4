// The IP allowlist, saved: PUT /v1/organisations/{id}/ip-allowlist keeps a normalised list (ranges from their
// network address, duplicates dropped, at most 100), a malformed entry is a 400 naming it and nothing is saved, a
// list that would lock the caller out is 409 unless confirmed, a platform administrator may set any list, and only
// plans with the ip_allowlist feature may set or enforce one. (Enforcement: ip-allowlist.test.ts.)
import { describe, expect, it } from "vitest";
import { auditTrail, call, createTenant, platformAdminToken } from "../harness";
import {
  ALSO_INSIDE,
  administer,
  allow,
  allowlistEvents,
  expectAllowed,
  expectIpNotAllowed,
  expectValidationError,
  from,
  getOrganisation,
  INSIDE,
  listMembers,
  OUTSIDE,
  setAllowlist,
  storedAllowlist,
} from "./ip-allowlist-helpers";

describe("what is saved", () => {
  it("a range is kept from its network address and duplicates are dropped", async () => {
    const tenant = await createTenant("allow-normal");
    const saved = await allow(
      tenant,
      [
        "10.1.2.3/8",
        "10.200.0.0/8",
        "192.0.2.1",
        " 192.0.2.1 ",
        "::ffff:192.0.2.1",
        "2001:DB8::1",
        "2001:db8:0:0::1",
        "2001:db8:abcd:1234::9/32",
      ],
      "10.9.9.9",
    );
    const normal = ["10.0.0.0/8", "192.0.2.1", "2001:db8::1", "2001:db8::/32"];
    expect(saved.body.allowed_ips).toEqual(normal);
    expect(await storedAllowlist(tenant)).toEqual(normal);
    expect((await getOrganisation(tenant, from("10.255.255.255"))).body.allowed_ips).toEqual(normal);
    expectIpNotAllowed(await getOrganisation(tenant, from("11.0.0.0")), "11.0.0.0");
  });

  it("saving the same list again writes no audit event; a change records old and new lists", async () => {
    const tenant = await createTenant("allow-audit");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    await allow(tenant, ["203.0.113.1/24"], INSIDE);
    await allow(tenant, ["203.0.113.0/24", "198.51.100.7"], INSIDE);
    await allow(tenant, [], INSIDE);
    const events = await allowlistEvents(tenant);
    expect(events.map((event) => (event.changes as Record<string, unknown>).allowed_ips)).toEqual([
      { old: [], new: ["203.0.113.0/24"] },
      { old: ["203.0.113.0/24"], new: ["203.0.113.0/24", "198.51.100.7"] },
      { old: ["203.0.113.0/24", "198.51.100.7"], new: [] },
    ]);
    for (const event of events) expect(Object.keys(event.changes as object)).toEqual(["allowed_ips"]);
    // Emptied: anyone may come in again.
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    expectAllowed(await getOrganisation(tenant, {}));
  });

  it("a list of 101 entries is refused and nothing is saved", async () => {
    const tenant = await createTenant("allow-too-many");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    const hundred = Array.from({ length: 100 }, (_, i) => `10.0.${Math.floor(i / 10)}.${i % 10}`);
    const refused = await setAllowlist(tenant, [INSIDE, ...hundred], from(INSIDE));
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.code).toBe("validation_error");
    expect(Object.keys(refused.body.error.fields ?? {}).some((field) => field.startsWith("allowed_ips"))).toBe(true);
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);
    // A hundred is the limit, not over it.
    const saved = await allow(tenant, [INSIDE, ...hundred.slice(1)], INSIDE);
    expect(saved.body.allowed_ips).toHaveLength(100);
  });

  it("each malformed entry is a 400 naming its index, and nothing is saved", async () => {
    const tenant = await createTenant("allow-malformed");
    await allow(tenant, ["203.0.113.0/24", "2001:db8::/32"], INSIDE);
    const before = (await allowlistEvents(tenant)).length;
    const malformed = [
      "300.1.1.1",
      "10.0.0.0/33",
      "example.com",
      "1.2.3",
      "fe80::1%eth0",
      "0x7f.1",
      "127.1",
      "010.0.0.1",
      "10.0.0.0/",
      "10.0.0.0/8/8",
      "10.0.0.0/-1",
      "10.0.0.0/ 8",
      "2001:db8::/129",
      "2001:db8:::1",
      "",
      "*",
    ];
    for (const entry of malformed) {
      const refused = await setAllowlist(tenant, ["198.51.100.7", INSIDE, entry], from(INSIDE));
      expectValidationError(refused, ["allowed_ips.2"]);
      expect(refused.body.error.fields["allowed_ips.2"]).toHaveLength(1);
    }
    // Every malformed entry is named, none skipped, whatever its place.
    const several = await setAllowlist(tenant, ["300.1.1.1", INSIDE, "example.com", "fe80::1%eth0"], from(INSIDE), {
      confirm_lockout: true,
    });
    expectValidationError(several, ["allowed_ips.0", "allowed_ips.2", "allowed_ips.3"]);
    const organisation = await getOrganisation(tenant, from(INSIDE));
    expectAllowed(organisation);
    expect(organisation.body.allowed_ips).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    expect(await allowlistEvents(tenant)).toHaveLength(before);
    // Still enforced as it was.
    expectIpNotAllowed(await getOrganisation(tenant, from("198.51.100.7")), "198.51.100.7");
  });
});

describe("the lock-out guard", () => {
  it("409 for a list without your own address; confirmed, it locks you out until an administrator lifts it", async () => {
    const tenant = await createTenant("allow-lockout");
    const eventsBefore = (await auditTrail(tenant.uuid)).length;

    const refused = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE));
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", ip_address: OUTSIDE });
    expect(refused.body.error.message).toContain(OUTSIDE);
    // No address at all is never in the list.
    const anonymous = await setAllowlist(tenant, ["203.0.113.0/24"], {});
    expect(anonymous.status, anonymous.text).toBe(409);
    expect(anonymous.body.error).toMatchObject({ code: "conflict", ip_address: null });
    // A forged X-Forwarded-For does not make the list include you.
    const forged = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE, { "x-forwarded-for": INSIDE }));
    expect(forged.status, forged.text).toBe(409);
    const unconfirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: false });
    expect(unconfirmed.status, unconfirmed.text).toBe(409);

    expect(await storedAllowlist(tenant)).toEqual([]);
    expect(await auditTrail(tenant.uuid)).toHaveLength(eventsBefore);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));

    // Confirmed: saved, and the very next request is refused.
    const confirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: true });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.allowed_ips).toEqual(["203.0.113.0/24"]);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectIpNotAllowed(await setAllowlist(tenant, [], from(OUTSIDE)), OUTSIDE);
    const saved = await allowlistEvents(tenant);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.ipAddress).toBe(OUTSIDE);

    // A platform administrator is not the organisation's caller: the list does not refuse them.
    const lifted = await administer(tenant, { allowed_ips: [] }, from(OUTSIDE));
    expect(lifted.body.allowed_ips).toEqual([]);
    expect(await storedAllowlist(tenant)).toEqual([]);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    expectAllowed(await listMembers(tenant, from(OUTSIDE)));
    expectAllowed(await getOrganisation(tenant, {}));
    const events = await allowlistEvents(tenant);
    expect(events.map((event) => (event.changes as Record<string, unknown>).allowed_ips)).toEqual([
      { old: [], new: ["203.0.113.0/24"] },
      { old: ["203.0.113.0/24"], new: [] },
    ]);
  });

  it("an empty list, or one that includes you, needs no confirmation", async () => {
    const tenant = await createTenant("allow-no-confirm");
    expectAllowed(await setAllowlist(tenant, [], {}));
    expectAllowed(await setAllowlist(tenant, ["198.51.100.0/24", "2001:db8::/32"], from("2001:db8::7")));
    expectAllowed(await setAllowlist(tenant, ["2001:db8::/32", "::ffff:203.0.113.7"], from("2001:db8::7")));
    expectAllowed(await setAllowlist(tenant, ["::ffff:203.0.113.7"], from("2001:db8::7"), { confirm_lockout: true }));
    expectAllowed(await getOrganisation(tenant, from(INSIDE)));
    expectAllowed(await setAllowlist(tenant, [], from(INSIDE)));
  });

  it("a platform administrator may set any list, and normalises it the same way", async () => {
    const tenant = await createTenant("allow-admin-set");
    const set = await administer(tenant, { allowed_ips: ["203.0.113.9/24", "203.0.113.0/24"] });
    expect(set.body.allowed_ips).toEqual(["203.0.113.0/24"]);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectAllowed(await getOrganisation(tenant, from(INSIDE)));
    const malformed = await call("PATCH", `/v1/platform/organisations/${tenant.id}`, {
      token: await platformAdminToken(),
      body: { allowed_ips: [INSIDE, "example.com"] },
    });
    expectValidationError(malformed, ["allowed_ips.1"]);
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);
  });
});

describe("the plan gate", () => {
  it("on free, the PUT is 403 feature_not_in_plan and nothing is saved", async () => {
    const tenant = await createTenant("allow-free", { plan: "free" });
    const refused = await setAllowlist(tenant, ["203.0.113.0/24"], from(INSIDE));
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "ip_allowlist", plan: "free" });
    expect(refused.body.error.upgrade_url).toMatch(/^https:\/\//);
    const confirmed = await setAllowlist(tenant, ["203.0.113.0/24"], from(OUTSIDE), { confirm_lockout: true });
    expect(confirmed.status, confirmed.text).toBe(403);
    expect(confirmed.body.error.code).toBe("feature_not_in_plan");
    expect(await storedAllowlist(tenant)).toEqual([]);
    expect(await allowlistEvents(tenant)).toHaveLength(0);
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
  });

  it("a list saved on pro is kept but not enforced on free, and enforced again back on pro", async () => {
    const tenant = await createTenant("allow-downgrade", { plan: "pro" });
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);

    await administer(tenant, { plan: "free" });
    const onFree = await getOrganisation(tenant, from(OUTSIDE));
    expectAllowed(onFree);
    expect(onFree.body).toMatchObject({ plan: "free", allowed_ips: ["203.0.113.0/24"] });
    expectAllowed(await listMembers(tenant, from(OUTSIDE)));
    expectAllowed(await listMembers(tenant, {}, tenant.serviceAccount.token));
    // The list cannot be changed while the plan lacks the feature.
    const change = await setAllowlist(tenant, [], from(OUTSIDE));
    expect(change.status, change.text).toBe(403);
    expect(change.body.error).toMatchObject({ code: "feature_not_in_plan", feature: "ip_allowlist" });
    expect(await storedAllowlist(tenant)).toEqual(["203.0.113.0/24"]);

    await administer(tenant, { plan: "pro" });
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);
    expectIpNotAllowed(await listMembers(tenant, from(OUTSIDE), tenant.serviceAccount.token), OUTSIDE);
    expectAllowed(await getOrganisation(tenant, from(ALSO_INSIDE)));
  });

  it("a feature override decides as the plan would: off stops enforcement, on starts it on free", async () => {
    const tenant = await createTenant("allow-override");
    await allow(tenant, ["203.0.113.0/24"], INSIDE);
    await administer(tenant, { overrides: { features: { ip_allowlist: false } } });
    expectAllowed(await getOrganisation(tenant, from(OUTSIDE)));
    await administer(tenant, { overrides: { features: { ip_allowlist: null } } });
    expectIpNotAllowed(await getOrganisation(tenant, from(OUTSIDE)), OUTSIDE);

    const free = await createTenant("allow-override-free", { plan: "free" });
    await administer(free, { overrides: { features: { ip_allowlist: true } } });
    await allow(free, ["203.0.113.0/24"], INSIDE);
    expectIpNotAllowed(await getOrganisation(free, from(OUTSIDE)), OUTSIDE);
  });
});
