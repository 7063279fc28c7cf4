// The typed client example (test/client/example.ts) against the app: generated types, openapi-fetch, a custom
// method, and the error envelope typed on failure.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import gateway from "../../functions/gateway";
import { createTenant, testEnv, uniqueSuffix } from "../harness";
import { inviteAndResend, musterClient, rolesByKey } from "./example";

/** The app as a fetch: each request with its own execution context, drained once the body is read. */
async function appFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await gateway.fetch!(request as never, testEnv as never, ctx);
  const body = await response.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return new Response(body, response);
}

describe("the typed client", () => {
  it("invites and resends through generated types and openapi-fetch", async () => {
    const tenant = await createTenant("client");
    const client = musterClient("https://api.test.muster", tenant.people.owner.token, appFetch);
    const roles = await rolesByKey(client, tenant.id);
    const email = `typed-${uniqueSuffix()}@example.test`;
    const { created, resent } = await inviteAndResend(client, {
      organisationId: tenant.id,
      roleId: roles.get("member")!,
      email,
    });
    expect(created).toMatchObject({ object: "invitation", email, status: "pending" });
    expect(resent.id).toBe(created.id);
    expect(resent.send_count).toBeGreaterThan(created.send_count);
  });

  it("a refusal comes back as the typed error envelope, with its doc_url", async () => {
    const client = musterClient("https://api.test.muster", "not-a-token", appFetch);
    const { data, error, response } = await client.GET("/v1/organisations");
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe("authentication_failed");
    expect(error?.error.doc_url).toBe("https://api.test.muster/docs/errors#authentication_failed");
  });
});
