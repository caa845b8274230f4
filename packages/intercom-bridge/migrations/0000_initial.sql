CREATE TABLE "activities" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contact_guid" uuid NOT NULL,
	"site_id" integer NOT NULL,
	"type_id" integer NOT NULL,
	"title" varchar(250) NOT NULL,
	"value" text,
	"url" text,
	"url_hash" varchar(64),
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"code_name" varchar(100) NOT NULL,
	"display_name" varchar(200) NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_types_code_name_unique" UNIQUE("code_name")
);
--> statement-breakpoint
CREATE TABLE "admin_user_roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"site_id" integer,
	"role" varchar(10) NOT NULL,
	CONSTRAINT "admin_user_roles_user_site_uq" UNIQUE NULLS NOT DISTINCT("user_id","site_id")
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" varchar(254) NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent_agreements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contact_guid" uuid NOT NULL,
	"consent_id" integer NOT NULL,
	"action" varchar(10) NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"code_name" varchar(100) NOT NULL,
	"display_name" varchar(200) NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_code_name_unique" UNIQUE("code_name")
);
--> statement-breakpoint
CREATE TABLE "contact_merges" (
	"old_guid" uuid PRIMARY KEY NOT NULL,
	"into_guid" uuid NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"guid" uuid PRIMARY KEY NOT NULL,
	"email" varchar(254),
	"first_name" varchar(100),
	"middle_name" varchar(100),
	"last_name" varchar(100),
	"job_title" varchar(50),
	"address1" varchar(100),
	"city" varchar(100),
	"zip" varchar(100),
	"mobile_phone" varchar(26),
	"business_phone" varchar(26),
	"notes" text,
	"company_name" varchar(100),
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" integer NOT NULL,
	"key" varchar(100) NOT NULL,
	"action" varchar(20) NOT NULL,
	"actor" varchar(254) NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_hosts" (
	"host" varchar(253) PRIMARY KEY NOT NULL,
	"site_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_settings" (
	"site_id" integer NOT NULL,
	"key" varchar(100) NOT NULL,
	"value" text,
	"secret" "bytea",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" varchar(254),
	CONSTRAINT "site_settings_site_id_key_pk" PRIMARY KEY("site_id","key")
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"code_name" varchar(100) NOT NULL,
	"display_name" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sites_code_name_unique" UNIQUE("code_name")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" integer NOT NULL,
	"endpoint" varchar(40) NOT NULL,
	"delivery_key" varchar(200) NOT NULL,
	"status" varchar(20) NOT NULL,
	"response_status" integer,
	"detail" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_contact_guid_contacts_guid_fk" FOREIGN KEY ("contact_guid") REFERENCES "public"."contacts"("guid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_user_roles" ADD CONSTRAINT "admin_user_roles_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."admin_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_user_roles" ADD CONSTRAINT "admin_user_roles_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_agreements" ADD CONSTRAINT "consent_agreements_contact_guid_contacts_guid_fk" FOREIGN KEY ("contact_guid") REFERENCES "public"."contacts"("guid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_agreements" ADD CONSTRAINT "consent_agreements_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_into_guid_contacts_guid_fk" FOREIGN KEY ("into_guid") REFERENCES "public"."contacts"("guid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings_audit" ADD CONSTRAINT "settings_audit_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_hosts" ADD CONSTRAINT "site_hosts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_contact_created_idx" ON "activities" USING btree ("contact_guid","created_at");--> statement-breakpoint
CREATE INDEX "activities_url_hash_idx" ON "activities" USING btree ("url_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_email_lower_uq" ON "admin_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "consent_agreements_contact_idx" ON "consent_agreements" USING btree ("contact_guid","consent_id","id");--> statement-breakpoint
CREATE INDEX "contact_merges_into_idx" ON "contact_merges" USING btree ("into_guid");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_email_lower_uq" ON "contacts" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "contacts_created_at_idx" ON "contacts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "settings_audit_site_at_idx" ON "settings_audit" USING btree ("site_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_key_uq" ON "webhook_deliveries" USING btree ("site_id","endpoint","delivery_key");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_idx" ON "webhook_deliveries" USING btree ("received_at");