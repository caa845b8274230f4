CREATE TABLE "intercom_rate_budgets" (
	"budget_key" varchar(160) PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"window_limit" integer,
	"blocked_until" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
