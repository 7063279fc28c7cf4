import { ApiError, type ErrorCode, type FieldErrors } from "../platform/errors";
import { dispatch } from "../platform/outbox";
import { toApiError } from "../platform/router";
import type { InvitationContext } from "./context";
import type { Invitee } from "./rules";
import { type CreatedInvitation, createInvitation } from "./service";

export type RowError = { code: ErrorCode | string; message: string; existing_id?: string; fields?: FieldErrors };
export type BulkRowInput = { invitee: Invitee } | { invalid: FieldErrors };
export type BulkRowResult =
  | { index: number; status: "created"; created: CreatedInvitation }
  | { index: number; status: "error"; error: RowError };

/**
 * Each row is its own invitation (and transaction): one row's refusal is that row's result. The same invitee
 * twice is refused at its second row. A failure on our side stops the run: the rows before it are committed
 * (and may hold codes shown once), so they are reported, and this row and the rest are marked not done.
 */
export async function createInvitations(
  context: InvitationContext,
  rows: BulkRowInput[],
  delivery: Parameters<typeof createInvitation>[2],
  requestId: string,
): Promise<BulkRowResult[]> {
  const seen = new Map<string, number>();
  const outboxIds: string[] = [];
  const results: BulkRowResult[] = [];
  for (const [index, row] of rows.entries()) {
    if ("invalid" in row) {
      results.push({
        index,
        status: "error",
        error: { code: "validation_error", message: "The row is invalid.", fields: row.invalid },
      });
      continue;
    }
    const who = row.invitee.email ?? row.invitee.phone ?? "";
    const first = seen.get(who);
    if (first !== undefined) {
      results.push({
        index,
        status: "error",
        error: { code: "conflict", message: `The same invitee as row ${first}.` },
      });
      continue;
    }
    seen.set(who, index);
    try {
      const created = await createInvitation(context, row.invitee, delivery);
      if (created.outboxId) outboxIds.push(created.outboxId);
      results.push({ index, status: "created", created });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status >= 500) {
        console.error(`[${requestId}] bulk invitation row ${index}:`, error);
        for (let rest = index; rest < rows.length; rest++) {
          const message = rest === index ? apiError.message : "Not attempted: an earlier row failed on our side.";
          results.push({ index: rest, status: "error", error: { code: apiError.code, message } });
        }
        break;
      }
      const rowError: RowError = { code: apiError.code, message: apiError.message };
      if (typeof apiError.extra.existing_id === "string") rowError.existing_id = apiError.extra.existing_id;
      // A refusal by the plan says which quota or feature, as the single-invitation route does.
      for (const key of ["quota", "limit", "usage", "feature", "plan", "upgrade_url"] as const) {
        if (apiError.extra[key] !== undefined) (rowError as Record<string, unknown>)[key] = apiError.extra[key];
      }
      if (apiError instanceof ApiError && apiError.extra.fields) rowError.fields = apiError.extra.fields as FieldErrors;
      results.push({ index, status: "error", error: rowError });
    }
  }
  await dispatch(context.env, outboxIds);
  return results;
}
