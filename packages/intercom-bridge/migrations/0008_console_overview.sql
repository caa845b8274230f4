CREATE TABLE "webhook_day_counts" (
	"site_id" integer NOT NULL,
	"day" date NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "webhook_day_counts_site_id_day_pk" PRIMARY KEY("site_id","day")
);
--> statement-breakpoint
ALTER TABLE "settings_audit" ALTER COLUMN "site_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "settings_audit" ALTER COLUMN "key" SET DATA TYPE varchar(254);--> statement-breakpoint
ALTER TABLE "settings_audit" ADD COLUMN "kind" varchar(20) DEFAULT 'setting' NOT NULL;--> statement-breakpoint
CREATE INDEX "activities_created_brin_idx" ON "activities" USING brin ("created_at");--> statement-breakpoint
CREATE INDEX "disclosures_site_at_idx" ON "disclosures" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "settings_audit_shared_idx" ON "settings_audit" USING btree ("id") WHERE "settings_audit"."site_id" is null;