import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { opportunities } from "./opportunities";
import { organisations } from "./organisations";
import { roles } from "./roles";
import { serviceAccounts } from "./service-accounts";
import { users } from "./users";

export const INVITATION_STATUSES = ["pending", "accepted", "declined", "cancelled", "expired"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
export const DELIVERY_CHANNELS = ["email", "sms", "none"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/** Where the latest message for the invitation stands. */
export const DELIVERY_STATUSES = [
  "pending",
  "sent",
  "retrying",
  "failed",
  "not_sent",
  /** The provider's receipt says the SMS reached (or could not reach) the handset. */
  "delivered",
  "undelivered",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const INVITER_TYPES = ["user", "service_account", "webhook"] as const;
export type InviterType = (typeof INVITER_TYPES)[number];

/**
 * An invitation into an organisation (and, later, one of its opportunities), addressed to an email or an E.164
 * phone. Its code is random and only its SHA-256 is kept.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    email: text("email"),
    phone: text("phone"),
    /** Null only once the role is deleted, which a pending invitation prevents: past invitations keep their row. */
    roleId: uuid("role_id").references(() => roles.id, { onDelete: "set null" }),
    /** Set on an invitation to an opportunity: accepting grants access to it, not membership (no role). */
    opportunityId: uuid("opportunity_id").references(() => opportunities.id, { onDelete: "cascade" }),
    customMessage: text("custom_message"),
    inviterType: text("inviter_type", { enum: INVITER_TYPES }).notNull(),
    inviterUserId: uuid("inviter_user_id").references(() => users.id, { onDelete: "set null" }),
    inviterServiceAccountId: uuid("inviter_service_account_id").references(() => serviceAccounts.id, {
      onDelete: "set null",
    }),
    /** Copied at creation so the invitation still names its inviter after they leave. */
    inviterName: text("inviter_name").notNull(),
    status: text("status", { enum: INVITATION_STATUSES }).notNull().default("pending"),
    codeHash: text("code_hash").notNull(),
    delivery: text("delivery", { enum: DELIVERY_CHANNELS }).notNull(),
    deliveryStatus: text("delivery_status", { enum: DELIVERY_STATUSES }).notNull(),
    sendCount: integer("send_count").notNull().default(0),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true, mode: "date" }),
    expiresInDays: integer("expires_in_days").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    acceptedByUserId: uuid("accepted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "date" }),
    declinedAt: timestamp("declined_at", { withTimezone: true, mode: "date" }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true, mode: "date" }),
    expiredAt: timestamp("expired_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("invitations_code_hash_key").on(t.codeHash),
    index("invitations_organisation_id_idx").on(t.organisationId, t.id),
    // At most one pending invitation per invitee and organisation (or opportunity), even under concurrent creates.
    uniqueIndex("invitations_pending_email_key")
      .on(t.organisationId, t.email)
      .where(sql`status = 'pending' and email is not null and opportunity_id is null`),
    uniqueIndex("invitations_pending_phone_key")
      .on(t.organisationId, t.phone)
      .where(sql`status = 'pending' and phone is not null and opportunity_id is null`),
    uniqueIndex("invitations_pending_opportunity_phone_key")
      .on(t.opportunityId, t.phone)
      .where(sql`status = 'pending' and phone is not null and opportunity_id is not null`),
    index("invitations_opportunity_id_idx").on(t.opportunityId, t.id).where(sql`opportunity_id is not null`),
    index("invitations_pending_expiry_idx").on(t.expiresAt).where(sql`status = 'pending'`),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
