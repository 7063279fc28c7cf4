// What a fixture of the access matrix is: how to arrange a request the right caller is served, what it answers
// then, and the audit event it writes.

import type { AuditAction } from "../../schema";
import type { BuiltIn, Reply, Tenant } from "../harness";

export interface Prepared {
  path: string;
  body?: unknown;
  /** Sent as is instead of a JSON body (a form-encoded callback); give its content type in `headers`. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Bindings of the app for these requests (an export job's queue that holds its messages). */
  env?: Record<string, unknown>;
  /** The person who succeeds (an invitee), instead of the fixture's role holder. */
  asPerson?: string;
  /** The tenant the target lives in, when the fixture needs one of its own. */
  tenant?: Tenant;
  /**
   * What the request would change outside the tenant's rows (a global catalog, the organisation row itself):
   * read before and after the refusals, which must leave it as it was.
   */
  observe?: () => Promise<unknown>;
}

export interface Fixture {
  prepare(tenant: Tenant): Promise<Prepared>;
  success: number;
  /** The audit action a successful call writes; a fixture without one writes no audit event at all. */
  audit?: AuditAction;
  /** The organisation whose trail gets the event, when not the fixture's tenant (a new organisation's own). */
  auditedIn?: (reply: Reply) => string;
  actor?: BuiltIn;
  /** The caller who succeeds is a platform administrator (PLATFORM_ADMINS), not a member of the tenant. */
  asPlatformAdmin?: boolean;
}
