CREATE TABLE "schedule_alert_states" (
	"schedule_name" text PRIMARY KEY NOT NULL,
	"open_event" text,
	"opened_at" timestamp with time zone,
	"last_alert_key" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_alert_states_open_event" CHECK ("schedule_alert_states"."open_event" IS NULL OR "schedule_alert_states"."open_event" IN ('missed', 'failing'))
);
