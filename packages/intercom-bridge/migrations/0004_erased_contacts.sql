CREATE TABLE "erased_contacts" (
	"guid_hash" varchar(64) PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
