CREATE TABLE "disclosures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" integer NOT NULL,
	"guid_hash" varchar(64) NOT NULL,
	"recipient" varchar(40) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"fields" text NOT NULL,
	"policy" varchar(10) NOT NULL,
	"consent_code" varchar(100) DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "disclosures_uq" ON "disclosures" USING btree ("site_id","guid_hash","recipient","channel","fields","policy","consent_code");--> statement-breakpoint
-- Hand-written (reliability P5): the disclosure log is append-only, whoever connects.
CREATE FUNCTION "disclosures_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'disclosures is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "disclosures_no_change" BEFORE UPDATE OR DELETE ON "disclosures" FOR EACH ROW EXECUTE FUNCTION "disclosures_append_only"();
--> statement-breakpoint
CREATE TRIGGER "disclosures_no_truncate" BEFORE TRUNCATE ON "disclosures" FOR EACH STATEMENT EXECUTE FUNCTION "disclosures_append_only"();
