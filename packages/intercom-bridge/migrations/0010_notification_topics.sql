CREATE TABLE "site_topic_activity_types" (
	"site_id" integer NOT NULL,
	"topic" varchar(100) NOT NULL,
	"type_id" integer NOT NULL,
	CONSTRAINT "site_topic_activity_types_site_id_topic_pk" PRIMARY KEY("site_id","topic")
);
--> statement-breakpoint
-- Existing rows cannot be told apart (site code or a Series webhook), so they read "unknown" and are
-- never sent to Intercom. A constant default fills them without rewriting the table; dropping it
-- then makes every writer name its origin (docs/decisions/0027).
ALTER TABLE "activities" ADD COLUMN "origin" varchar(30) DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ALTER COLUMN "origin" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "site_topic_activity_types" ADD CONSTRAINT "site_topic_activity_types_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_topic_activity_types" ADD CONSTRAINT "site_topic_activity_types_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE cascade ON UPDATE no action;