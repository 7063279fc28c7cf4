-- Custom SQL migration file, put your code below! --
-- What searches for opportunities read (functions/matching/opportunities.ts), kept by the database like the
-- match tokens of migration matching_tokens_sync:
--   match_required_set   a hash of the exact set of required skills (sorted ids, comma-separated; null when it
--                        requires none): "requires only skills I hold" is one btree probe per subset of mine. A
--                        GIN key per set read just as few rows, but merged its hundreds of probes slowly.
--   e<skill>             in match_tokens: each preferred skill of one that requires none
CREATE OR REPLACE FUNCTION opportunities_match_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.match_tokens := opportunity_match_tokens(NEW);
  SELECT coalesce(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'required'), '{}'),
         coalesce(array_agg(level ORDER BY skill_id) FILTER (WHERE requirement = 'required'), '{}'),
         coalesce(array_agg(skill_id ORDER BY skill_id) FILTER (WHERE requirement = 'preferred'), '{}'),
         coalesce(array_agg(level ORDER BY skill_id) FILTER (WHERE requirement = 'preferred'), '{}')
    INTO NEW.match_required_ids, NEW.match_required_levels, NEW.match_preferred_ids, NEW.match_preferred_levels
    FROM opportunity_skills WHERE opportunity_id = NEW.id;
  NEW.match_required_set := CASE WHEN cardinality(NEW.match_required_ids) > 0
    THEN hashtext('r' || array_to_string(NEW.match_required_ids, ',')) END;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION opportunity_match_tokens(opportunity opportunities) RETURNS integer[] LANGUAGE sql STABLE
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
          || ARRAY(SELECT hashtext('e' || skill_id) FROM skill WHERE NOT required AND (SELECT n_req FROM counted) = 0)
          || ARRAY[match_environment_token(opportunity.work_environment)]
          || ARRAY(SELECT 100000 + step FROM unnest(match_hours_ladder()) step WHERE step >= opportunity.min_hours_per_week)
          || coalesce(nullif(match_hour_tokens(opportunity.meeting_minutes), '{}'), '{600001}')
          || coalesce(nullif(array_remove(ARRAY(SELECT match_area_token(a) FROM areas), NULL), '{}'), '{600003}'),
        NULL) $$;
--> statement-breakpoint
-- The candidates of one tier of a search for opportunities, like volunteer_candidates (migration
-- matching_keys), among open, public ones, searched by `search`:
--   subsets    requiring exactly one of the skill sets in $1 (the keys of the subsets of my skills, probed in the
--              btree of match_required_set), or none while preferring one of mine ($8); the features are then
--              checked on those rows, which are few, rather than merged from long posting lists
--   positions  each of their first five required skills one of mine ($2, one row per position), within my
--              environments ($6) and hours ($7)
--   any        requiring or preferring one of mine ($1), within my environments and hours
CREATE FUNCTION opportunity_candidates(search text, skill_keys integer[], positions integer[], groups text[],
    v_keys integer[], a_keys integer[], p_keys integer[], environment_keys integer[], hours_keys integer[],
    none_required_keys integer[])
  RETURNS TABLE (id uuid, row_id tid) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  hard CONSTANT text := ' AND o.match_tokens && $6 AND o.match_tokens @> $7';
  skill CONSTANT text := CASE search
    WHEN 'subsets' THEN '(o.match_required_set = ANY ($1) OR o.match_tokens && $8)'
    WHEN 'positions' THEN 'o.match_tokens && $2[1:1] AND o.match_tokens && $2[2:2] AND o.match_tokens && $2[3:3]'
      || ' AND o.match_tokens && $2[4:4] AND o.match_tokens && $2[5:5]' || hard
    WHEN 'any' THEN 'o.match_tokens && $1' || hard END;
  -- As a filter (not an index condition) when the skill condition already finds few rows.
  touches CONSTANT text := CASE search WHEN 'subsets' THEN ' AND coalesce(o.match_tokens && %s, false)'
    ELSE ' AND o.match_tokens && %s' END;
  scans text[] := '{}';
  g text;
BEGIN
  IF skill IS NULL THEN RAISE EXCEPTION 'opportunity_candidates: unknown search %', search; END IF;
  FOREACH g IN ARRAY coalesce(groups, '{}') LOOP
    scans := scans || ('SELECT o.id, o.ctid FROM opportunities o'
      || ' WHERE o.status = ''open'' AND o.visibility = ''public'' AND ' || skill
      || CASE WHEN strpos(g, 'v') > 0 THEN format(touches, '$3') ELSE '' END
      || CASE WHEN strpos(g, 'a') > 0 THEN format(touches, '$4') ELSE '' END
      || CASE WHEN strpos(g, 'p') > 0 THEN format(touches, '$5') ELSE '' END);
  END LOOP;
  IF cardinality(scans) > 0 THEN
    RETURN QUERY EXECUTE array_to_string(scans, ' UNION ')
      USING skill_keys, positions, v_keys, a_keys, p_keys, environment_keys, hours_keys, none_required_keys;
  END IF;
END $$;
--> statement-breakpoint
UPDATE opportunities SET match_tokens = '{}';
