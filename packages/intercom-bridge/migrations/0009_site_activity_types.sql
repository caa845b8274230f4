CREATE TABLE "site_activity_types" (
	"site_id" integer NOT NULL,
	"type_id" integer NOT NULL,
	CONSTRAINT "site_activity_types_site_id_type_id_pk" PRIMARY KEY("site_id","type_id")
);
--> statement-breakpoint
ALTER TABLE "site_activity_types" ADD CONSTRAINT "site_activity_types_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_activity_types" ADD CONSTRAINT "site_activity_types_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE cascade ON UPDATE no action;