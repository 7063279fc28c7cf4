-- Custom SQL migration file, put your code below! --
-- Matching tokens: what matching finds candidates by, through GIN indexes (volunteer_profiles.match_tokens where
-- discoverable; opportunities.match_tokens where open and public). The database keeps them in step itself, with
-- the triggers below, so no writer can forget them. They only narrow where to look: every score is computed from
-- the rows. Integers, so the indexes stay small; a hash collision only adds a candidate, never hides one. The same
-- triggers keep each row's skills as aligned arrays (match_skill_ids/levels on profiles, match_required_ids/levels
-- and match_preferred_ids/levels on opportunities), so a candidate is scored from its own row.
--   required skill     2^30 | 30 bits of md5(skill id)   (on profiles: every skill held)
--   preferred skill    2^29 | 29 bits of md5(skill id)
--   skill by position  2^28 | 28 bits of md5(position:skill id): an opportunity's first five required skills, in
--                      token order, each with its position; 700000 + p when it has fewer than p required skills
--   hours ladder       100000 + a step of match_hours_ladder(): profiles hold every step up to their maximum,
--                      opportunities every step from their minimum up (100000 itself: every profile)
--   hour of the week   200000 + each UTC hour (0–167) the availability or the meeting times touch
--   work environment   300001 remote, 300002 hybrid, 300003 in_person
--   practice area      400001 data_science … 400005 ui_ux (an opportunity's: its required skills', else its
--                      preferred skills')
--   none of these      600001 no meeting times, 600002 no preferred skill, 600003 no practice area
CREATE FUNCTION match_hours_ladder() RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY[0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 50, 60, 80, 100, 120, 168] $$;
--> statement-breakpoint
CREATE FUNCTION match_hash(salt text, id uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('x' || left(md5(salt || id::text), 8))::bit(32)::integer $$;
--> statement-breakpoint
CREATE FUNCTION match_skill_token(skill uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (match_hash('', skill) & 1073741823) | 1073741824 $$;
--> statement-breakpoint
CREATE FUNCTION match_preferred_token(skill uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (match_hash('', skill) & 536870911) | 536870912 $$;
--> statement-breakpoint
CREATE FUNCTION match_position_token(pos integer, skill uuid) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (match_hash(pos || ':', skill) & 268435455) | 268435456 $$;
--> statement-breakpoint
-- The ladder step at or below `hours`: a profile holds it when it can give at least that many hours.
CREATE FUNCTION match_hours_token(hours integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 100000 + coalesce(max(step), 0) FROM unnest(match_hours_ladder()) step WHERE step <= hours $$;
--> statement-breakpoint
-- The ladder step at or above `hours`: an opportunity holds it when it asks at most that many hours.
CREATE FUNCTION match_hours_ceiling_token(hours integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 100000 + coalesce(min(step), 168) FROM unnest(match_hours_ladder()) step WHERE step >= hours $$;
--> statement-breakpoint
CREATE FUNCTION match_hour_tokens(minutes int4multirange) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT 200000 + hour), '{}')
        FROM unnest(coalesce(minutes, '{}')) r, generate_series(lower(r) / 60, (upper(r) - 1) / 60) hour $$;
--> statement-breakpoint
CREATE FUNCTION match_environment_token(environment text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 300000 + array_position(ARRAY['remote', 'hybrid', 'in_person'], environment) $$;
--> statement-breakpoint
CREATE FUNCTION match_area_token(area text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 400000 + array_position(ARRAY['data_science', 'engineering', 'devops', 'project_management', 'ui_ux'], area) $$;
--> statement-breakpoint
CREATE FUNCTION volunteer_match_tokens(profile volunteer_profiles) RETURNS integer[] LANGUAGE sql STABLE
  AS $$ SELECT array_remove(
          ARRAY(SELECT match_skill_token(skill_id) FROM profile_skills WHERE user_id = profile.user_id)
          || ARRAY(SELECT match_environment_token(e) FROM unnest(profile.work_environments) e)
          || ARRAY[match_area_token(profile.practice_area)]
          || match_hour_tokens(profile.available_minutes)
          || ARRAY(SELECT 100000 + step FROM unnest(match_hours_ladder()) step WHERE step <= profile.max_hours_per_week),
        NULL) $$;
--> statement-breakpoint
CREATE FUNCTION opportunity_match_tokens(opportunity opportunities) RETURNS integer[] LANGUAGE sql STABLE
  AS $$ WITH skill AS (
          SELECT s.skill_id, s.requirement = 'required' AS required, k.practice_areas
          FROM opportunity_skills s JOIN skills k ON k.id = s.skill_id WHERE s.opportunity_id = opportunity.id
        ), counted AS (SELECT count(*) FILTER (WHERE required) AS n_req FROM skill),
        areas AS (
          SELECT DISTINCT a FROM skill, unnest(skill.practice_areas) a
          WHERE skill.required OR (SELECT n_req FROM counted) = 0
        )
        SELECT array_remove(
          ARRAY(SELECT match_skill_token(skill_id) FROM skill WHERE required)
          || coalesce(nullif(ARRAY(SELECT match_preferred_token(skill_id) FROM skill WHERE NOT required), '{}'), '{600002}')
          || ARRAY(SELECT match_position_token(pos::integer, skill_id) FROM (
               SELECT skill_id, row_number() OVER (ORDER BY match_skill_token(skill_id), skill_id) AS pos FROM skill WHERE required
             ) ranked WHERE pos <= 5)
          || ARRAY(SELECT 700000 + p FROM generate_series(1, 5) p WHERE p > (SELECT n_req FROM counted))
          || ARRAY[match_environment_token(opportunity.work_environment)]
          || ARRAY(SELECT 100000 + step FROM unnest(match_hours_ladder()) step WHERE step >= opportunity.min_hours_per_week)
          || coalesce(nullif(match_hour_tokens(opportunity.meeting_minutes), '{}'), '{600001}')
          || coalesce(nullif(array_remove(ARRAY(SELECT match_area_token(a) FROM areas), NULL), '{}'), '{600003}'),
        NULL) $$;
--> statement-breakpoint
-- Every write of what the tokens come from recomputes them. Under READ COMMITTED the recomputation runs after the
-- row lock is taken, with a fresh snapshot: a concurrent change to the same row's skills, committed while this
-- one waited, is seen.
CREATE FUNCTION volunteer_profiles_match_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.match_tokens := volunteer_match_tokens(NEW);
  SELECT coalesce(array_agg(skill_id ORDER BY skill_id), '{}'), coalesce(array_agg(level ORDER BY skill_id), '{}')
    INTO NEW.match_skill_ids, NEW.match_skill_levels
    FROM profile_skills WHERE user_id = NEW.user_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER volunteer_profiles_match_tokens
  BEFORE INSERT OR UPDATE OF practice_area, max_hours_per_week, work_environments, available_minutes, match_tokens
  ON volunteer_profiles FOR EACH ROW EXECUTE FUNCTION volunteer_profiles_match_tokens();
--> statement-breakpoint
CREATE FUNCTION opportunities_match_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.match_tokens := opportunity_match_tokens(NEW);
  SELECT coalesce(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'required'), '{}'),
         coalesce(array_agg(level ORDER BY skill_id) FILTER (WHERE requirement = 'required'), '{}'),
         coalesce(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'preferred'), '{}'),
         coalesce(array_agg(level ORDER BY skill_id) FILTER (WHERE requirement = 'preferred'), '{}')
    INTO NEW.match_required_ids, NEW.match_required_levels, NEW.match_preferred_ids, NEW.match_preferred_levels
    FROM opportunity_skills WHERE opportunity_id = NEW.id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER opportunities_match_tokens
  BEFORE INSERT OR UPDATE OF work_environment, min_hours_per_week, meeting_minutes, match_tokens
  ON opportunities FOR EACH ROW EXECUTE FUNCTION opportunities_match_tokens();
--> statement-breakpoint
-- A change to a profile's or an opportunity's skills touches it (once per statement), which recomputes its tokens.
CREATE FUNCTION profile_skills_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE volunteer_profiles SET match_tokens = '{}' WHERE user_id IN (SELECT user_id FROM changed);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION profile_skills_touch_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE volunteer_profiles SET match_tokens = '{}'
   WHERE user_id IN (SELECT user_id FROM changed UNION SELECT user_id FROM changed_before);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER profile_skills_inserted AFTER INSERT ON profile_skills
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION profile_skills_touch();
--> statement-breakpoint
CREATE TRIGGER profile_skills_deleted AFTER DELETE ON profile_skills
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION profile_skills_touch();
--> statement-breakpoint
CREATE TRIGGER profile_skills_updated AFTER UPDATE ON profile_skills
  REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION profile_skills_touch_moved();
--> statement-breakpoint
CREATE FUNCTION opportunity_skills_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE opportunities SET match_tokens = '{}' WHERE id IN (SELECT opportunity_id FROM changed);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION opportunity_skills_touch_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE opportunities SET match_tokens = '{}'
   WHERE id IN (SELECT opportunity_id FROM changed UNION SELECT opportunity_id FROM changed_before);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER opportunity_skills_inserted AFTER INSERT ON opportunity_skills
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION opportunity_skills_touch();
--> statement-breakpoint
CREATE TRIGGER opportunity_skills_deleted AFTER DELETE ON opportunity_skills
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION opportunity_skills_touch();
--> statement-breakpoint
CREATE TRIGGER opportunity_skills_updated AFTER UPDATE ON opportunity_skills
  REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION opportunity_skills_touch_moved();
--> statement-breakpoint
-- An opportunity's practice-area tokens come from its skills' practice areas.
CREATE FUNCTION skills_touch_opportunities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE opportunities SET match_tokens = '{}'
   WHERE id IN (
     SELECT s.opportunity_id FROM opportunity_skills s
     JOIN changed c ON c.id = s.skill_id JOIN changed_before b ON b.id = c.id
     WHERE c.practice_areas IS DISTINCT FROM b.practice_areas
   );
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER skills_practice_areas_updated AFTER UPDATE ON skills
  REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION skills_touch_opportunities();
--> statement-breakpoint
UPDATE volunteer_profiles SET match_tokens = '{}';
--> statement-breakpoint
UPDATE opportunities SET match_tokens = '{}';
