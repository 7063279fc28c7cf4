// Compile-time checks of the generated types (`tsc --noEmit` fails if one stops holding): an invitation body has
// exactly one of `email` and `phone`, as the document's oneOf says.
import type { components } from "./muster-api.generated";

type CreateInvitation = components["schemas"]["CreateInvitation"];

export const byEmail: CreateInvitation = { role_id: "role_01h455vb4pex5vsknk084sn02q", email: "dave@example.com" };
export const byPhone: CreateInvitation = { role_id: "role_01h455vb4pex5vsknk084sn02q", phone: "+447700900123" };
// @ts-expect-error: both at once is not an invitation body
export const both: CreateInvitation = {
  role_id: "role_01h455vb4pex5vsknk084sn02q",
  email: "a@example.com",
  phone: "+447700900123",
};
// @ts-expect-error: neither is not one either
export const neither: CreateInvitation = { role_id: "role_01h455vb4pex5vsknk084sn02q" };
