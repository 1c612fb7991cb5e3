CREATE TABLE "calendar_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"calendar_name" text NOT NULL,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"old_value" jsonb,
	"new_value" jsonb,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_history_op" CHECK ("calendar_history"."op" IN ('insert', 'update', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "calendars" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"dates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text DEFAULT 'unknown' NOT NULL,
	CONSTRAINT "calendars_name_format" CHECK ("calendars"."name" ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
	CONSTRAINT "calendars_dates_array" CHECK (jsonb_typeof("calendars"."dates") = 'array')
);
--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "exclude" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "calendars" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "calendar_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "pause_mode" text DEFAULT 'skip' NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "alert" jsonb;--> statement-breakpoint
CREATE INDEX "calendar_history_name_idx" ON "calendar_history" USING btree ("calendar_name","id");--> statement-breakpoint
CREATE INDEX "schedules_labels_idx" ON "schedules" USING gin ("labels");--> statement-breakpoint
CREATE INDEX "schedules_calendars_idx" ON "schedules" USING gin ("calendars");--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_pause_mode" CHECK ("schedules"."pause_mode" IN ('skip', 'catch_up'));--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_labels_object" CHECK (jsonb_typeof("schedules"."labels") = 'object');--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_exclude_array" CHECK (jsonb_typeof("schedules"."exclude") = 'array');--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_calendars_array" CHECK (jsonb_typeof("schedules"."calendars") = 'array');--> statement-breakpoint
-- Calendars are versioned and recorded by trigger, as schedules are, so a raw SQL edit of one is
-- a change like any other. A change to a calendar changes what every schedule naming it fires:
-- each such schedule's calendar_revision is bumped, which its own triggers turn into a new version
-- and a history row, and which the scheduler's poll (or the write path's message) applies.
CREATE FUNCTION hotbeat_calendars_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.version := coalesce(
      (SELECT max(h.version) FROM calendar_history h WHERE h.calendar_name = NEW.name), 0) + 1;
    NEW.created_at := now();
    NEW.updated_at := now();
    NEW.updated_by := hotbeat_actor();
    RETURN NEW;
  END IF;
  IF NEW.name <> OLD.name THEN
    RAISE EXCEPTION 'a calendar cannot be renamed (% -> %)', OLD.name, NEW.name
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.description IS NOT DISTINCT FROM OLD.description AND NEW.dates IS NOT DISTINCT FROM OLD.dates THEN
    NEW.version := OLD.version;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := OLD.updated_at;
    NEW.updated_by := OLD.updated_by;
    RETURN NEW;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.created_at := OLD.created_at;
  NEW.updated_at := now();
  NEW.updated_by := hotbeat_actor();
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Bumps the calendar revision of every schedule naming p_name, with a history note saying why.
CREATE FUNCTION hotbeat_touch_calendar_users(p_name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_note text := current_setting('hotbeat.note', true);
BEGIN
  PERFORM set_config('hotbeat.note', 'calendar ' || p_name || ' changed', true);
  UPDATE schedules SET calendar_revision = calendar_revision + 1 WHERE calendars ? p_name;
  PERFORM set_config('hotbeat.note', coalesce(v_note, ''), true);
END
$$;
--> statement-breakpoint
CREATE FUNCTION hotbeat_calendars_after() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_source text := coalesce(nullif(current_setting('hotbeat.source', true), ''), 'sql');
  v_note text := nullif(current_setting('hotbeat.note', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO calendar_history (calendar_name, op, version, actor, source, note, old_value, new_value)
    VALUES (NEW.name, 'insert', NEW.version, hotbeat_actor(), v_source, v_note, NULL, to_jsonb(NEW));
    PERFORM hotbeat_touch_calendar_users(NEW.name);
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.version = OLD.version THEN
      RETURN NULL;
    END IF;
    INSERT INTO calendar_history (calendar_name, op, version, actor, source, note, old_value, new_value)
    VALUES (NEW.name, 'update', NEW.version, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), to_jsonb(NEW));
    PERFORM hotbeat_touch_calendar_users(NEW.name);
  ELSE
    INSERT INTO calendar_history (calendar_name, op, version, actor, source, note, old_value, new_value)
    VALUES (OLD.name, 'delete', OLD.version + 1, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), NULL);
    PERFORM hotbeat_touch_calendar_users(OLD.name);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION hotbeat_calendars_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_history (calendar_name, op, version, actor, source, note, old_value, new_value)
  SELECT c.name, 'delete', c.version + 1, hotbeat_actor(),
    coalesce(nullif(current_setting('hotbeat.source', true), ''), 'sql'),
    nullif(current_setting('hotbeat.note', true), ''), to_jsonb(c), NULL
  FROM calendars c;
  PERFORM hotbeat_touch_calendar_users(c.name) FROM calendars c;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendars_before BEFORE INSERT OR UPDATE ON calendars
  FOR EACH ROW EXECUTE FUNCTION hotbeat_calendars_before();
--> statement-breakpoint
CREATE TRIGGER calendars_after AFTER INSERT OR UPDATE OR DELETE ON calendars
  FOR EACH ROW EXECUTE FUNCTION hotbeat_calendars_after();
--> statement-breakpoint
CREATE TRIGGER calendars_truncate BEFORE TRUNCATE ON calendars
  FOR EACH STATEMENT EXECUTE FUNCTION hotbeat_calendars_truncate();
