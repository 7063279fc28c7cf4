-- Custom SQL migration file, put your code below! --
-- Matching keys: sparse GIN entries, so that every entry a matching query reads is a short posting list. A GIN
-- scan costs about the sum of the posting lists it reads, and tokens held by a fifth of the population (a
-- practice area, an hour of the week) made every candidate search read hundreds of thousands of entries. Keys
-- combine such a feature with a skill, so "holds one of these skills and is free at one of these hours" is one
-- short list per (skill, hour). They are hashes (hashtext, the function hash partitioning relies on staying
-- stable): a collision only adds a candidate, and every score is still computed from the rows. The index function
-- calls nothing outside pg_catalog, as index builds run with a restricted search_path.
--
-- Volunteers: the keys are an expression index over columns the profile row already has (its skills as kept by
-- the trigger, its practice area, its availability), so they cost no row space and cannot go stale:
--   s<skill>              each skill held
--   sp<skill><skill>      each pair of skills held (the lesser id first): "holds these two" is one list
--   sh<skill>:<hour>      each skill held × each UTC hour of the week (0–167) the availability touches
--   sa<skill><area>       each skill held × the practice area
--   h<hour>, a<area>      the hour and the practice area alone (for opportunities requiring no skill)
-- The profile's own match tokens (0008/0009) go (migration matching_columns): nothing reads them.
-- Opportunities keep theirs (0009); migration matching_required_sets adds what their searches read.

-- The UTC hours of the week (0–167) a set of week minutes touches, as volunteer_match_keys counts them.
CREATE FUNCTION match_week_hours(minutes int4multirange) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT hour ORDER BY hour), '{}')
        FROM unnest(coalesce(minutes, '{}')) r, generate_series(lower(r) / 60, (upper(r) - 1) / 60) hour $$;
--> statement-breakpoint
CREATE FUNCTION volunteer_match_keys(skills uuid[], area text, minutes int4multirange) RETURNS integer[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ WITH hour AS (
          SELECT DISTINCT h FROM unnest(coalesce(minutes, '{}')) r, generate_series(lower(r) / 60, (upper(r) - 1) / 60) h
        )
        SELECT ARRAY(
          SELECT hashtext('s' || s) FROM unnest(skills) s
          UNION ALL SELECT hashtext('sp' || a || b) FROM unnest(skills) a, unnest(skills) b WHERE a < b
          UNION ALL SELECT hashtext('sh' || s || ':' || h) FROM unnest(skills) s, hour
          UNION ALL SELECT hashtext('sa' || s || area) FROM unnest(skills) s WHERE area IS NOT NULL
          UNION ALL SELECT hashtext('h' || h) FROM hour
          UNION ALL SELECT hashtext('a' || area) WHERE area IS NOT NULL) $$;
--> statement-breakpoint
CREATE INDEX volunteer_profiles_match_keys_idx ON volunteer_profiles
  USING gin (volunteer_match_keys(match_skill_ids, practice_area, available_minutes)) WHERE discoverable;
--> statement-breakpoint
-- A profile's skills as aligned arrays (sorted by skill id), which the keys and the scores read. A change to
-- profile_skills touches match_skill_ids, which recomputes them.
DROP TRIGGER volunteer_profiles_match_tokens ON volunteer_profiles;
--> statement-breakpoint
DROP FUNCTION volunteer_profiles_match_tokens();
--> statement-breakpoint
DROP FUNCTION volunteer_match_tokens(volunteer_profiles);
--> statement-breakpoint
CREATE FUNCTION volunteer_profiles_match_skills() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT coalesce(array_agg(skill_id ORDER BY skill_id), '{}'), coalesce(array_agg(level ORDER BY skill_id), '{}')
    INTO NEW.match_skill_ids, NEW.match_skill_levels
    FROM profile_skills WHERE user_id = NEW.user_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER volunteer_profiles_match_skills BEFORE INSERT OR UPDATE OF match_skill_ids, match_skill_levels
  ON volunteer_profiles FOR EACH ROW EXECUTE FUNCTION volunteer_profiles_match_skills();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION profile_skills_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE volunteer_profiles SET match_skill_ids = '{}' WHERE user_id IN (SELECT user_id FROM changed);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION profile_skills_touch_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE volunteer_profiles SET match_skill_ids = '{}'
   WHERE user_id IN (SELECT user_id FROM changed UNION SELECT user_id FROM changed_before);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The candidates of one tier of a search (functions/matching/tiers.ts): the union, over the groups the tier reads,
-- of the rows meeting its skill condition and touching each feature of the group ('v', 'a', 'p' in `groups`).
-- Only the groups read are planned, at run time: a statement naming every group in advance spent more time
-- planning than searching. STABLE, so every scan sees the calling statement's snapshot, and the row ids it
-- returns (ctid) find the same row versions again in that statement.
CREATE FUNCTION volunteer_candidates(skill_keys integer[], holds_all boolean, groups text[],
    v_keys integer[], a_keys integer[], p_keys integer[])
  RETURNS TABLE (user_id uuid, row_id tid) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  keys CONSTANT text := 'volunteer_match_keys(vp.match_skill_ids, vp.practice_area, vp.available_minutes)';
  skill CONSTANT text := CASE WHEN holds_all AND cardinality(skill_keys) = 0 THEN 'true'
    WHEN holds_all THEN keys || ' @> $1' ELSE keys || ' && $1' END;
  scans text[] := '{}';
  g text;
BEGIN
  FOREACH g IN ARRAY coalesce(groups, '{}') LOOP
    scans := scans || ('SELECT vp.user_id, vp.ctid FROM volunteer_profiles vp WHERE vp.discoverable AND ' || skill
      || CASE WHEN strpos(g, 'v') > 0 THEN ' AND ' || keys || ' && $2' ELSE '' END
      || CASE WHEN strpos(g, 'a') > 0 THEN ' AND ' || keys || ' && $3' ELSE '' END
      || CASE WHEN strpos(g, 'p') > 0 THEN ' AND ' || keys || ' && $4' ELSE '' END);
  END LOOP;
  IF cardinality(scans) > 0 THEN
    RETURN QUERY EXECUTE array_to_string(scans, ' UNION ') USING skill_keys, v_keys, a_keys, p_keys;
  END IF;
END $$;
