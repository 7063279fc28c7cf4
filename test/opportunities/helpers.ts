// What the opportunity suites share: a valid body to start from, and the calls they make again and again.

import { ID_PREFIX, parseTypeId } from "../../functions/platform/ids";
import { call, type Tenant } from "../harness";

/** The smallest valid create body for a tenant, with whatever the test changes. */
export const opportunityBody = (tenant: Tenant, extra: Record<string, unknown> = {}) => ({
  organisation_id: tenant.id,
  name: "Household survey",
  start_date: "2026-03-01",
  work_environment: "remote",
  min_hours_per_week: 5,
  ...extra,
});

export const createOpportunity = (token: string, body: Record<string, unknown>) =>
  call("POST", "/v1/opportunities", { token, body });

export const patchOpportunity = (token: string, id: string, body: Record<string, unknown>) =>
  call("PATCH", `/v1/opportunities/${id}`, { token, body });

export const getOpportunity = (id: string, token?: string) => call("GET", `/v1/opportunities/${id}`, { token });

/** The UUID behind an opportunity's TypeID. */
export const opportunityUuid = (id: string) => parseTypeId(ID_PREFIX.opportunity, id) as string;

/** The ids on a list page. */
export const idsOf = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((o) => o.id);
