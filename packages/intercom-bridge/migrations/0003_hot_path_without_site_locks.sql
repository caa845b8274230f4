ALTER TABLE "activities" DROP CONSTRAINT "activities_site_id_sites_id_fk";
--> statement-breakpoint
ALTER TABLE "activities" DROP CONSTRAINT "activities_type_id_activity_types_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_site_id_sites_id_fk";
