// The invitations the document shows: one sent by email, the same made with `delivery: "none"`, a page of them.

/** An invitation as the API shows it (GET /v1/invitations/{id}): pending, by email, sent. */
export const INVITATION_EXAMPLE = {
  id: "inv_01h455vb4pex5vsknk084sn02q",
  object: "invitation" as const,
  organisation_id: "org_01h455vb4pex5vsknk084sn02q",
  email: "dave@example.com",
  phone: null,
  role: { id: "role_01h455vb4pex5vsknk084sn02q", key: "member", name: "Member", global_access: false },
  opportunity_id: null,
  custom_message: "Welcome to the spring survey team!",
  inviter: { type: "user" as const, id: "usr_01h455vb4pex5vsknk084sn02q", name: "Alice Example" },
  status: "pending" as const,
  delivery: "email" as const,
  delivery_status: "sent" as const,
  send_count: 1,
  last_sent_at: "2026-06-01T09:30:00.000Z",
  expires_at: "2026-06-08T09:30:00.000Z",
  accepted_by: null,
  accepted_at: null,
  declined_at: null,
  cancelled_at: null,
  created_at: "2026-06-01T09:30:00.000Z",
  updated_at: "2026-06-01T09:30:02.000Z",
};

/** The same invitation made with `delivery: "none"`: nothing was sent, and the code is in the answer, once. */
export const INVITATION_WITH_CODE_EXAMPLE = {
  ...INVITATION_EXAMPLE,
  delivery: "none" as const,
  delivery_status: "not_sent" as const,
  send_count: 0,
  last_sent_at: null,
  updated_at: "2026-06-01T09:30:00.000Z",
  code: "q3Vh0bJ2nX6tQe8LwZs1kP4yR7uA9dC5fG0hI2jK3lM",
};

/** The example of a one-page list of invitations (GET /v1/invitations). */
export const INVITATION_LIST_EXAMPLE = {
  object: "list",
  data: [INVITATION_EXAMPLE],
  has_more: false,
  next_cursor: null,
};
