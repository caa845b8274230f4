DROP INDEX "admin_login_attempts_ip_at_idx";--> statement-breakpoint
ALTER TABLE "admin_login_attempts" ADD COLUMN "ip_key" varchar(64);--> statement-breakpoint
ALTER TABLE "admin_login_attempts" ADD COLUMN "counted" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "admin_login_attempts_ip_key_at_idx" ON "admin_login_attempts" USING btree ("ip_key","at");