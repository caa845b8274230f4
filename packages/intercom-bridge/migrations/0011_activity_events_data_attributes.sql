CREATE TABLE "site_data_attributes" (
	"site_id" integer NOT NULL,
	"attribute" varchar(190) NOT NULL,
	"wanted_type" varchar(20) NOT NULL,
	"status" varchar(20) NOT NULL,
	"intercom_type" varchar(20),
	"message" text,
	"mapping_hash" varchar(64) NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_data_attributes_site_id_attribute_pk" PRIMARY KEY("site_id","attribute")
);
--> statement-breakpoint
ALTER TABLE "activity_types" ADD COLUMN "send_to_intercom" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "site_data_attributes" ADD CONSTRAINT "site_data_attributes_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;