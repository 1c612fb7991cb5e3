-- Versions are counted per name in schedule_versions rather than read back from schedule_history,
-- so that pruning old history (a retention job) can never make a re-created schedule start again at
-- version 1, which running schedulers would ignore as older than what they hold. The count still
-- moves by exactly one per change of one schedule.

INSERT INTO schedule_versions (schedule_name, last_version)
SELECT name, max(version) FROM (
  SELECT schedule_name AS name, version FROM schedule_history
  UNION ALL
  SELECT name, version FROM schedules
) AS known
GROUP BY name;
--> statement-breakpoint
-- The next version of a name. The upsert's row lock makes a create wait for a concurrent delete of
-- the same name, so both never take the same number.
CREATE FUNCTION hotbeat_claim_version(p_name text) RETURNS integer LANGUAGE sql VOLATILE AS $$
  INSERT INTO schedule_versions AS v (schedule_name, last_version) VALUES (p_name, 1)
  ON CONFLICT (schedule_name) DO UPDATE SET last_version = v.last_version + 1
  RETURNING last_version
$$;
--> statement-breakpoint
-- Records that a name has reached p_version (an update, or the version a delete takes).
CREATE FUNCTION hotbeat_record_version(p_name text, p_version integer) RETURNS void LANGUAGE sql VOLATILE AS $$
  INSERT INTO schedule_versions AS v (schedule_name, last_version) VALUES (p_name, p_version)
  ON CONFLICT (schedule_name) DO UPDATE SET last_version = greatest(v.last_version, excluded.last_version)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION hotbeat_schedules_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Versions are never reused, even when a deleted name is created again, so that
    -- "an older version never overwrites a newer one" holds across delete and re-create.
    NEW.version := hotbeat_claim_version(NEW.name);
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
CREATE OR REPLACE FUNCTION hotbeat_schedules_after() RETURNS trigger LANGUAGE plpgsql AS $$
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
    PERFORM hotbeat_record_version(NEW.name, NEW.version);
    INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
    VALUES (NEW.name, 'update', NEW.version, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), to_jsonb(NEW));
  ELSE
    PERFORM hotbeat_record_version(OLD.name, OLD.version + 1);
    INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
    VALUES (OLD.name, 'delete', OLD.version + 1, hotbeat_actor(), v_source, v_note, to_jsonb(OLD), NULL);
  END IF;
  RETURN NULL;
END
$$;
