CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_name" text NOT NULL,
	"task" text NOT NULL,
	"kind" text DEFAULT 'schedule' NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"schedule_version" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enqueued_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text,
	"result" jsonb,
	CONSTRAINT "runs_kind" CHECK ("runs"."kind" IN ('schedule', 'manual')),
	CONSTRAINT "runs_status" CHECK ("runs"."status" IN ('queued', 'running', 'succeeded', 'failed', 'skipped', 'missed'))
);
--> statement-breakpoint
CREATE TABLE "schedule_cursors" (
	"schedule_name" text PRIMARY KEY NOT NULL,
	"last_fire_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"schedule_name" text NOT NULL,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"old_value" jsonb,
	"new_value" jsonb,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "schedule_history_op" CHECK ("schedule_history"."op" IN ('insert', 'update', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"name" text PRIMARY KEY NOT NULL,
	"task" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"cron" text,
	"interval_seconds" integer,
	"run_at" timestamp with time zone,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"misfire_policy" text DEFAULT 'run_once' NOT NULL,
	"misfire_grace_seconds" integer DEFAULT 300 NOT NULL,
	"overlap_policy" text DEFAULT 'allow' NOT NULL,
	"jitter_seconds" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"interval_anchor_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text DEFAULT 'unknown' NOT NULL,
	CONSTRAINT "schedules_one_kind" CHECK (num_nonnulls("schedules"."cron", "schedules"."interval_seconds", "schedules"."run_at") = 1),
	CONSTRAINT "schedules_name_format" CHECK ("schedules"."name" ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
	CONSTRAINT "schedules_interval_positive" CHECK ("schedules"."interval_seconds" IS NULL OR "schedules"."interval_seconds" >= 1),
	CONSTRAINT "schedules_misfire_policy" CHECK ("schedules"."misfire_policy" IN ('skip', 'run_once', 'run_all')),
	CONSTRAINT "schedules_overlap_policy" CHECK ("schedules"."overlap_policy" IN ('allow', 'skip')),
	CONSTRAINT "schedules_non_negative" CHECK ("schedules"."misfire_grace_seconds" >= 0 AND "schedules"."jitter_seconds" >= 0),
	CONSTRAINT "schedules_window" CHECK ("schedules"."start_at" IS NULL OR "schedules"."end_at" IS NULL OR "schedules"."start_at" < "schedules"."end_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "runs_schedule_fire_unique" ON "runs" USING btree ("schedule_name","scheduled_at") WHERE "runs"."kind" = 'schedule';--> statement-breakpoint
CREATE INDEX "runs_schedule_created_idx" ON "runs" USING btree ("schedule_name","created_at");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "runs_unfinished_idx" ON "runs" USING btree ("status") WHERE "runs"."status" IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "schedule_history_name_idx" ON "schedule_history" USING btree ("schedule_name","id");--> statement-breakpoint
CREATE INDEX "schedule_history_txid_idx" ON "schedule_history" USING btree ("txid");--> statement-breakpoint
CREATE INDEX "schedules_enabled_idx" ON "schedules" USING btree ("enabled");