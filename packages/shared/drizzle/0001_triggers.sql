-- Versioning and history by trigger, so that no write path (hotbeat's own, or a raw SQL edit)
-- can change a schedule without bumping its version and leaving a history row.
-- hotbeat's write path sets hotbeat.actor / hotbeat.source / hotbeat.note with set_config(..., true)
-- (transaction-local); anything else is recorded as the database user with source 'sql'.

CREATE FUNCTION hotbeat_definition(s schedules) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT to_jsonb(s) - 'version' - 'created_at' - 'updated_at' - 'updated_by' - 'interval_anchor_at'
$$;
--> statement-breakpoint
CREATE FUNCTION hotbeat_actor() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('hotbeat.actor', true), ''), session_user::text)
$$;
--> statement-breakpoint
CREATE FUNCTION hotbeat_schedules_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Versions are never reused, even when a deleted name is created again, so that
    -- "an older version never overwrites a newer one" holds across delete and re-create.
    NEW.version := coalesce(
      (SELECT max(h.version) FROM schedule_history h WHERE h.schedule_name = NEW.name), 0) + 1;
    NEW.created_at := now();
    NEW.updated_at := now();
    NEW.updated_by := hotbeat_actor();
    IF NEW.interval_seconds IS NOT NULL THEN
      NEW.interval_anchor_at := coalesce(NEW.interval_anchor_at, now());
    ELSE
      NEW.interval_anchor_at := NULL;
    END IF;
    RETURN NEW;
  END IF;

  -- UPDATE: a statement that changes nothing of the definition is not a change.
  IF hotbeat_definition(NEW) IS NOT DISTINCT FROM hotbeat_definition(OLD) THEN
    NEW.version := OLD.version;
    NEW.updated_at := OLD.updated_at;
    NEW.updated_by := OLD.updated_by;
    NEW.created_at := OLD.created_at;
    NEW.interval_anchor_at := OLD.interval_anchor_at;
    RETURN NEW;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.created_at := OLD.created_at;
  NEW.updated_at := now();
  NEW.updated_by := hotbeat_actor();
  IF NEW.interval_seconds IS NULL THEN
    NEW.interval_anchor_at := NULL;
  ELSIF NEW.interval_seconds IS DISTINCT FROM OLD.interval_seconds OR OLD.interval_anchor_at IS NULL THEN
    -- The spec's anchor: the time of the last change to the interval. Other edits keep the phase.
    NEW.interval_anchor_at := now();
  ELSE
    NEW.interval_anchor_at := OLD.interval_anchor_at;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE FUNCTION hotbeat_schedules_after() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_source text := coalesce(nullif(current_setting('hotbeat.source', true), ''), 'sql');
  v_note text := nullif(current_setting('hotbeat.note', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
    VALUES (NEW.name, 'insert', NEW.version, hotbeat_actor(), v_source, v_note, NULL, to_jsonb(NEW));
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.version = OLD.version THEN
      RETURN NULL;
    END IF;
    IF NEW.name <> OLD.name THEN
      RAISE EXCEPTION 'a schedule cannot be renamed (% -> %)', OLD.name, NEW.name
        USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
    VALUES (NEW.name, 'update', NEW.version, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), to_jsonb(NEW));
  ELSE
    INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
    VALUES (OLD.name, 'delete', OLD.version + 1, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), NULL);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER schedules_before BEFORE INSERT OR UPDATE ON schedules
  FOR EACH ROW EXECUTE FUNCTION hotbeat_schedules_before();
--> statement-breakpoint
CREATE TRIGGER schedules_after AFTER INSERT OR UPDATE OR DELETE ON schedules
  FOR EACH ROW EXECUTE FUNCTION hotbeat_schedules_after();
