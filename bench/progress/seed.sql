-- Issue 16's scale for bench/progress/run.sh: :players players (users, profiles, one experience each in
-- 'bench/MAP01') with :events events apiece over the last 30 days on 37 waypoints, and an API key
-- 'pt_bench_{i}' for the first :keys players (the active ones). Written straight into PostgreSQL after
-- `playtest migrate`; `playtest progress rollups` then computes the analytics roll-ups from the events.
\set ON_ERROR_STOP on
\o /dev/null
SELECT setseed(0.16);
\o
INSERT INTO users (id, email, password_hash, role, is_active, created_at, updated_at)
SELECT 'u' || i, 'player' || i || '@bench.test', '!', 'user', true, now() - interval '60 days', now()
FROM generate_series(1, :players) i;
INSERT INTO api_keys (id, user_id, key_hash, prefix, name, is_active, created_at)
SELECT 'k' || i, 'u' || i, encode(sha256(convert_to('pt_bench_' || i, 'UTF8')), 'hex'), 'pt_bench', 'bench', true, now()
FROM generate_series(1, :keys) i;
INSERT INTO player_profiles (id, user_id, kind, total_experiences_played, total_playtime_seconds, stats, created_at, updated_at)
SELECT 'p' || i, 'u' || i, 'human', 1, 0, '{"preferences": {"difficulty": "normal"}}', now() - interval '60 days', now()
FROM generate_series(1, :players) i;
-- A third finish; the others stop between 0 and 95 %; playtime up to 3 h; up to all 37 waypoints visited.
INSERT INTO experience_progress (id, player_id, experience_id, started_at, completed_at, last_played_at, playtime_seconds,
    completion_percentage, current_location, state, version, distance_meters, created_at, updated_at)
SELECT 'e' || i, 'p' || i, 'bench/MAP01', now() - interval '30 days', CASE WHEN i % 3 = 0 THEN now() - interval '1 day' END,
    now() - (i % 720) * interval '1 hour', (random() * 10800)::int, CASE WHEN i % 3 = 0 THEN 100 ELSE (random() * 95)::int END,
    'w' || (i % 37), jsonb_build_object(
        'inventory', jsonb_build_array('torch', 'item' || (i % 10)),
        'visited_waypoints', (SELECT jsonb_agg('w' || w) FROM generate_series(0, i % 37) w),
        'quests', jsonb_build_object('main', 'started')),
    1, round((random() * 5000)::numeric, 1), now() - interval '30 days', now()
FROM generate_series(1, :players) i;
INSERT INTO player_progress_events (id, experience_progress_id, event_type, content_id, data, location_lat, location_lng, timestamp)
SELECT 'v' || i || '_' || j, 'e' || i, CASE WHEN j % 5 = 0 THEN 'item_collected' ELSE 'waypoint_visited' END,
    CASE WHEN j % 5 = 0 THEN 'item' || (j % 10) ELSE 'w' || ((i + j) % 37) END,
    jsonb_build_object('distance_traveled', round((random() * 3)::numeric, 2), 'time_spent', (random() * 240)::int),
    37.9 + random() / 100, -122.5 + random() / 100, now() - random() * interval '30 days'
FROM generate_series(1, :players) i, generate_series(1, :events) j;
UPDATE player_profiles f SET total_playtime_seconds = p.playtime_seconds, total_distance_meters = p.distance_meters
FROM experience_progress p WHERE p.player_id = f.id;
VACUUM ANALYZE;
