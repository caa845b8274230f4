CREATE TABLE "sync_backfills" (
	"site_id" integer PRIMARY KEY NOT NULL,
	"state" varchar(16) NOT NULL,
	"cursor_guid" uuid,
	"total" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"lease_owner" varchar(100),
	"lease_until" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"started_by" varchar(200),
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sync_backfills" ADD CONSTRAINT "sync_backfills_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;