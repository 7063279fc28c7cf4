// The document's request examples are requests the API accepts: each operation's body example, sent to the app by
// a caller the operation serves (its path parameters from their examples too), is never a 400 or a 5xx. Example
// ids name nothing, so each is swapped for a real one of the same kind in a tenant of the test's own; one the
// fixture cannot make stays as written (then a 404 is fine: the body itself passed validation).

import { isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ID_PREFIX, parseTypeId, toTypeId } from "../../functions/platform/ids";
import { skills } from "../../schema";
import {
  call,
  createTenant,
  deliveryType,
  insertOpportunity,
  insertPaymentUnit,
  insertProgram,
  platformAdminToken,
  signWebhook,
  type Tenant,
  withDb,
} from "../harness";
import type { Operation } from "./contract";
import { operations, resolveSchema } from "./served-document";

const TYPE_ID = /^([a-z]+)_[0-7][0-9a-hjkmnp-tv-z]{25}$/;

function requestExample(op: Operation): unknown {
  const media = op.operation.requestBody?.content?.["application/json"];
  if (!media) return undefined;
  return media.example ?? resolveSchema(media.schema).example;
}

/** The organisation id most examples use: the caller's. Any other organisation id in an example is a partner's. */
const EXAMPLE_ORGANISATION = "org_01h455vb4pex5vsknk084sn02q";

/** Real ids of a tenant of the test's own, by TypeID prefix, made the first time an example asks. */
function realIds(tenant: Tenant) {
  const made = new Map<string, Promise<string | undefined>>();
  const makers: Record<string, () => Promise<string | undefined>> = {
    [ID_PREFIX.organisation]: async () => tenant.id,
    partner: async () => (await createTenant("examples-partner")).id,
    [ID_PREFIX.role]: async () => tenant.roleIds.member,
    [ID_PREFIX.membership]: async () => tenant.people.member.memberId,
    [ID_PREFIX.service_account]: async () => tenant.serviceAccount.id,
    [ID_PREFIX.program]: async () => (await insertProgram(tenant)).id,
    [ID_PREFIX.opportunity]: async () => (await insertOpportunity(tenant, { endDate: "2027-12-31" })).id,
    // Under the example's opportunity, so a body naming both names a unit of that opportunity.
    [ID_PREFIX.payment_unit]: async () =>
      (await insertPaymentUnit(parseTypeId(ID_PREFIX.opportunity, (await real(ID_PREFIX.opportunity)) as string)!)).id,
    [ID_PREFIX.skill]: async () => {
      const [skill] = await withDb((db) =>
        db.select({ id: skills.id }).from(skills).where(isNull(skills.retiredAt)).limit(1),
      );
      return skill && toTypeId(ID_PREFIX.skill, skill.id);
    },
    [ID_PREFIX.delivery_type]: async () => (await deliveryType()).id,
  };
  const real = (prefix: string): Promise<string | undefined> => {
    const maker = makers[prefix];
    if (!maker) return Promise.resolve(undefined);
    if (!made.has(prefix)) made.set(prefix, maker());
    return made.get(prefix) as Promise<string | undefined>;
  };
  return real;
}

/** A delivery type's slug the test database has (examples name one of the demo data's). */
const realDeliveryType = async (): Promise<string> => (await deliveryType()).slug;

/** The example with every example id swapped for a real one of its kind. */
async function withRealIds(value: unknown, real: (prefix: string) => Promise<string | undefined>): Promise<unknown> {
  if (typeof value === "string") {
    const match = TYPE_ID.exec(value);
    if (!match) return value;
    const kind =
      match[1] === ID_PREFIX.organisation && value !== EXAMPLE_ORGANISATION ? "partner" : (match[1] as string);
    return (await real(kind)) ?? value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((entry) => withRealIds(entry, real)));
  if (value && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value).map(
        async ([key, entry]) =>
          [
            key,
            key === "delivery_type" && typeof entry === "string"
              ? await realDeliveryType()
              : await withRealIds(entry, real),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

const withExamples = operations.filter((op) => requestExample(op) !== undefined);

describe("the document's request examples", () => {
  it("covers every operation that takes a JSON body", () => {
    const bodied = operations.filter((op) => op.operation.requestBody?.content?.["application/json"]);
    const without = bodied.filter((op) => requestExample(op) === undefined).map((op) => `${op.method} ${op.path}`);
    expect(without, "operations whose body has no example").toEqual([]);
  });

  it.each(withExamples.map((op) => [`${op.method} ${op.path}`, op] as const))(
    "%s: its example is not a 400",
    async (_name, op) => {
      const tenant = await createTenant("examples");
      const real = realIds(tenant);
      let path = op.path;
      for (const parameter of op.parameters.filter((entry) => entry.in === "path")) {
        const example = resolveSchema(parameter.schema).example;
        const value = (await withRealIds(example, real)) as string | undefined;
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(value ?? "x"));
      }
      const body = await withRealIds(requestExample(op), real);
      const access = op.operation["x-access"] ?? {};
      const token = access.public
        ? undefined
        : access.platform_admin
          ? await platformAdminToken()
          : tenant.people.owner.token;
      const headers: Record<string, string> = path.startsWith("/v1/webhooks/invitation-emails")
        ? signWebhook(body)
        : {};
      const reply = await call(op.method, path, {
        ...(token ? { token } : {}),
        rawBody: JSON.stringify(body),
        headers: { "content-type": "application/json", ...headers },
      });
      expect(reply.status, `${op.method} ${path} ${JSON.stringify(body)} → ${reply.text.slice(0, 400)}`).not.toBe(400);
      expect(reply.status, reply.text.slice(0, 400)).toBeLessThan(500);
    },
  );
});
