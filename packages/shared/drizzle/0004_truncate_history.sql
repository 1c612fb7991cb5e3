-- TRUNCATE fires no row triggers, so without this a `TRUNCATE schedules` would leave no history
-- and a poll that reads history would never learn that those schedules are gone. Before the table
-- is emptied, every row still in it gets its delete row, with the version a delete takes.

CREATE FUNCTION hotbeat_schedules_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_source text := coalesce(nullif(current_setting('hotbeat.source', true), ''), 'sql');
  v_note text := nullif(current_setting('hotbeat.note', true), '');
BEGIN
  PERFORM hotbeat_record_version(s.name, s.version + 1) FROM schedules s;
  INSERT INTO schedule_history (schedule_name, op, version, actor, source, note, old_value, new_value)
  SELECT s.name, 'delete', s.version + 1, hotbeat_actor(), v_source, v_note, to_jsonb(s), NULL
  FROM schedules s;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER schedules_truncate BEFORE TRUNCATE ON schedules
  FOR EACH STATEMENT EXECUTE FUNCTION hotbeat_schedules_truncate();
