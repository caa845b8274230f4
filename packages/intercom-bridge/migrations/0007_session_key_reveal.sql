ALTER TABLE "admin_sessions" ADD COLUMN "reveal_site_id" integer;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD COLUMN "reveal_key_hash" varchar(64);