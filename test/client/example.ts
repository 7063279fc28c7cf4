// A typed client of the Muster API, as the README shows it: types generated from the OpenAPI document by
// openapi-typescript (`npm run client:types`), requests made by openapi-fetch. A custom method (`:resend`) is a
// path like any other, and `email`/`phone` are one or the other, as the document's oneOf says.
import createClient from "openapi-fetch";
import type { components, paths } from "./muster-api.generated";

export type Invitation = components["schemas"]["Invitation"];

export function musterClient(baseUrl: string, token: string, fetch?: (request: Request) => Promise<Response>) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` }, ...(fetch ? { fetch } : {}) });
}

type MusterClient = ReturnType<typeof musterClient>;

/** Invites someone by email, then sends the invitation again: the two calls a mailbox-less admin makes. */
export async function inviteAndResend(
  client: MusterClient,
  invite: { organisationId: string; roleId: string; email: string },
): Promise<{ created: Invitation; resent: Invitation }> {
  const created = await client.POST("/v1/invitations", {
    body: { organisation_id: invite.organisationId, email: invite.email, role_id: invite.roleId },
  });
  if (created.error) throw new Error(`${created.error.error.code}: ${created.error.error.message}`);
  const resent = await client.POST("/v1/invitations/{id}:resend", { params: { path: { id: created.data.id } } });
  if (resent.error) throw new Error(`${resent.error.error.code}: ${resent.error.error.message}`);
  return { created: created.data, resent: resent.data };
}

/** The organisation's roles, by key (built-in roles have one). */
export async function rolesByKey(client: MusterClient, organisationId: string): Promise<Map<string, string>> {
  const { data, error } = await client.GET("/v1/roles", { params: { query: { organisation_id: organisationId } } });
  if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
  return new Map(data.data.flatMap((role) => (role.key ? [[role.key, role.id] as const] : [])));
}
