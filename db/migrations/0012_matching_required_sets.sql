-- Custom SQL migration file, put your code below! --
-- What searches for opportunities read (functions/matching/opportunities.ts), kept by the database like the
-- match tokens of migration matching_tokens_sync:
--   match_required_set   a hash of the exact set of required skills (sorted ids, comma-separated; null when it
--                        requires none): "requires only skills I hold" is one btree probe per subset of mine. A
--                        GIN key per set read just as few rows, but merged its hundreds of probes slowly, and
--                        testing the features on heap rows with the 40-token arrays cost more than the probes.
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
-- Read by index-only scans: the features of a candidate requiring only my skills are checked on the index tuple.
CREATE INDEX opportunities_match_required_set_idx ON opportunities (match_required_set)
  INCLUDE (id, meeting_minutes, match_preferred_ids, match_tokens) WHERE status = 'open' AND visibility = 'public';
--> statement-breakpoint
-- The candidates of one tier of a search for opportunities, like volunteer_candidates (migration
-- matching_keys), among open, public ones, searched by `search`:
--   subsets    requiring exactly one of the skill sets in $1 (the keys of the subsets of my skills, probed in
--              the index above), or none while preferring one of mine ($8). The features are checked on those
--              few rows with exact, cheap tests (a meeting minute I am free, a preferred skill of mine, the
--              practice-area token) rather than read from long posting lists: v needs my week minutes ($9), p
--              my skills ($10).
--   positions  each of their first five required skills one of mine ($2, one row per position), within my
--              environments ($6) and hours ($7)
--   any        requiring or preferring one of mine ($1), within my environments and hours
-- Each group is touched as its tokens say (v $3, a $4, p $5); "touches" never misses one whose factor is above 0.
CREATE FUNCTION opportunity_candidates(search text, skill_keys integer[], positions integer[], groups text[],
    v_keys integer[], a_keys integer[], p_keys integer[], environment_keys integer[], hours_keys integer[],
    none_required_keys integer[], my_minutes int4multirange, my_skills uuid[])
  RETURNS TABLE (id uuid) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  hard CONSTANT text := ' AND o.match_tokens && $6 AND o.match_tokens @> $7';
  open CONSTANT text := 'SELECT o.id FROM opportunities o WHERE o.status = ''open'' AND o.visibility = ''public'' AND ';
  scans text[] := '{}';
  g text;
  features text;
BEGIN
  IF search NOT IN ('subsets', 'positions', 'any') THEN
    RAISE EXCEPTION 'opportunity_candidates: unknown search %', search;
  END IF;
  FOREACH g IN ARRAY coalesce(groups, '{}') LOOP
    IF search = 'subsets' THEN
      features := CASE WHEN strpos(g, 'v') > 0
          THEN ' AND (o.meeting_minutes IS NULL OR isempty(o.meeting_minutes) OR o.meeting_minutes && $9)' ELSE '' END
        || CASE WHEN strpos(g, 'a') > 0 THEN ' AND coalesce(o.match_tokens && $4, false)' ELSE '' END
        || CASE WHEN strpos(g, 'p') > 0
          THEN ' AND (cardinality(o.match_preferred_ids) = 0 OR o.match_preferred_ids && $10)' ELSE '' END;
      scans := scans || (open || 'o.match_required_set = ANY ($1)' || features)
        || (open || 'o.match_required_set IS NULL AND o.match_tokens && $8' || features);
    ELSE
      scans := scans || (open || CASE search
          WHEN 'positions' THEN 'o.match_tokens && $2[1:1] AND o.match_tokens && $2[2:2]'
            || ' AND o.match_tokens && $2[3:3] AND o.match_tokens && $2[4:4] AND o.match_tokens && $2[5:5]'
          ELSE 'o.match_tokens && $1' END
        || hard
        || CASE WHEN strpos(g, 'v') > 0 THEN ' AND o.match_tokens && $3' ELSE '' END
        || CASE WHEN strpos(g, 'a') > 0 THEN ' AND o.match_tokens && $4' ELSE '' END
        || CASE WHEN strpos(g, 'p') > 0 THEN ' AND o.match_tokens && $5' ELSE '' END);
    END IF;
  END LOOP;
  IF cardinality(scans) > 0 THEN
    RETURN QUERY EXECUTE array_to_string(scans, ' UNION ')
      USING skill_keys, positions, v_keys, a_keys, p_keys, environment_keys, hours_keys, none_required_keys,
        my_minutes, my_skills;
  END IF;
END $$;
--> statement-breakpoint
UPDATE opportunities SET match_tokens = '{}';
