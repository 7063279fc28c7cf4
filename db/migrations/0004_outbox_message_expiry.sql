ALTER TABLE "outbox_messages" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
-- Pending messages written before the column carry their invitation's expiry, as new ones do.
UPDATE "outbox_messages" SET "expires_at" = "invitations"."expires_at" FROM "invitations" WHERE "invitations"."id" = "outbox_messages"."invitation_id" AND "outbox_messages"."status" = 'pending';
