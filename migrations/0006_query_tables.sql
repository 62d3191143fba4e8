CREATE TABLE `cycles` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`cycle` integer NOT NULL,
	`first_seq` integer NOT NULL,
	PRIMARY KEY(`run`, `seq`)
) WITHOUT ROWID; -- hand-edited: drizzle has no WITHOUT ROWID option; (run, seq) is the clustered key
--> statement-breakpoint
CREATE INDEX `cycles_cycle` ON `cycles` (`run`,`cycle`);--> statement-breakpoint
CREATE TABLE `event_enums` (
	`code` integer NOT NULL,
	`event` text NOT NULL,
	`col` text NOT NULL,
	`value` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	PRIMARY KEY(`code`, `col`, `value`)
);
--> statement-breakpoint
CREATE TABLE `evictions` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`cycle` integer NOT NULL,
	`folio` integer NOT NULL,
	`owner` integer,
	`target` integer NOT NULL,
	`reclaimer` text NOT NULL,
	`charged` integer NOT NULL,
	`charged_seq` integer NOT NULL,
	`charged_cycle` integer NOT NULL,
	`file` integer NOT NULL,
	`inode` integer,
	`idx` integer,
	`nid` integer NOT NULL,
	PRIMARY KEY(`run`, `seq`)
) WITHOUT ROWID; -- hand-edited: drizzle has no WITHOUT ROWID option; (run, seq) is the clustered key
--> statement-breakpoint
CREATE TABLE `metric_types` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`what` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `refaults` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`cycle` integer NOT NULL,
	`folio` integer NOT NULL,
	`memcg` integer NOT NULL,
	`shadow_memcg` integer NOT NULL,
	`recent` integer NOT NULL,
	`workingset` integer NOT NULL,
	`activate` integer NOT NULL,
	`refs` integer NOT NULL,
	`file` integer NOT NULL,
	`inode` integer,
	`idx` integer,
	`nid` integer NOT NULL,
	PRIMARY KEY(`run`, `seq`)
) WITHOUT ROWID; -- hand-edited: drizzle has no WITHOUT ROWID option; (run, seq) is the clustered key
--> statement-breakpoint
CREATE TABLE `splices` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`child` integer NOT NULL,
	`parent` integer NOT NULL,
	`what` text NOT NULL,
	`lru` integer,
	`child_gen` integer,
	`type` integer,
	`parent_gen` integer,
	`mode` integer,
	`nid` integer NOT NULL,
	PRIMARY KEY(`run`, `seq`)
) WITHOUT ROWID; -- hand-edited: drizzle has no WITHOUT ROWID option; (run, seq) is the clustered key
--> statement-breakpoint
CREATE INDEX `memcgs_offline` ON `memcgs` (`run`,`offline_seq`);
--> statement-breakpoint
-- hand-written views (drizzle-kit does not generate them).
-- events_c: events_v with the cycle each event belongs to: cycle N holds the events after cycle
-- N-1's `cycle` event up to and including its own (the setup before cycle 1's counts as cycle 1);
-- past a run's last cycle event, the cycle under way (runs.cycles + 1: the run row is written with
-- the events). One seek in the cycles projection per row.
CREATE VIEW `events_c` AS SELECT e.run, e.seq, e.tick, coalesce((SELECT c.cycle FROM cycles c WHERE c.run = e.run AND c.seq >= e.seq ORDER BY c.seq LIMIT 1), (SELECT r.cycles + 1 FROM runs r WHERE r.id = e.run)) AS cycle, t.name AS type, e.memcg, e.folio, e.a, e.b, e.data FROM events e JOIN event_types t ON t.code = e.type;
--> statement-breakpoint
-- samples_delta: samples per interval: counters minus the previous sample's (the first sample
-- from the run's start), gauges as sampled, and the interval's reclaim efficiency.
CREATE VIEW `samples_delta` AS SELECT run, seq, tick, cycle, cycle - lag(cycle, 1, 0) OVER w AS cycles, nr_dying, dying_bytes, stale_pages, memory_current, pgscan - lag(pgscan, 1, 0) OVER w AS pgscan, pgsteal - lag(pgsteal, 1, 0) OVER w AS pgsteal, round(1.0 * (pgsteal - lag(pgsteal, 1, 0) OVER w) / nullif(pgscan - lag(pgscan, 1, 0) OVER w, 0), 6) AS reclaim_efficiency, workingset_refault_file - lag(workingset_refault_file, 1, 0) OVER w AS workingset_refault_file, lruvecs_scanned - lag(lruvecs_scanned, 1, 0) OVER w AS lruvecs_scanned, reclaims - lag(reclaims, 1, 0) OVER w AS reclaims, reparent_splices - lag(reparent_splices, 1, 0) OVER w AS reparent_splices, reparent_folios_walked - lag(reparent_folios_walked, 1, 0) OVER w AS reparent_folios_walked, reparent_retries - lag(reparent_retries, 1, 0) OVER w AS reparent_retries, low_events - lag(low_events, 1, 0) OVER w AS low_events, high_events - lag(high_events, 1, 0) OVER w AS high_events, max_events - lag(max_events, 1, 0) OVER w AS max_events, oom_events - lag(oom_events, 1, 0) OVER w AS oom_events, oom_kill - lag(oom_kill, 1, 0) OVER w AS oom_kill, throttle_ticks - lag(throttle_ticks, 1, 0) OVER w AS throttle_ticks FROM samples WINDOW w AS (PARTITION BY run ORDER BY seq);
--> statement-breakpoint
-- Fixed planner statistics (sqlite_stat1, as the SQLite shell's .fullschema writes them): the
-- shape of a typical run, so the planner knows a run's evictions are a sliver of its events and a
-- memcg is one row, and joins people write start from the small side. Without them SQLite guesses
-- every equality on `run` picks ~10 rows and may read a whole run once per row of another table.
-- Per run: 1 M events, 30 k evictions, 3 k refaults, 1 k cycles, splices, memcgs, samples.
-- A user's own ANALYZE replaces them with measured ones; memcglab never runs ANALYZE.
ANALYZE sqlite_schema;
--> statement-breakpoint
DELETE FROM sqlite_stat1 WHERE tbl IN ('events', 'memcgs', 'samples', 'snapshots', 'chain', 'runs', 'cycles', 'evictions', 'refaults', 'splices');
--> statement-breakpoint
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('events', 'events', '20000000 1000000 1'),
  ('evictions', 'evictions', '600000 30000 1'),
  ('refaults', 'refaults', '60000 3000 1'),
  ('cycles', 'cycles', '20000 1000 1'),
  ('cycles', 'cycles_cycle', '20000 1000 1'),
  ('splices', 'splices', '20000 1000 1'),
  ('memcgs', 'sqlite_autoindex_memcgs_1', '20000 1000 1'),
  ('memcgs', 'memcgs_path', '20000 1000 1'),
  ('memcgs', 'memcgs_offline', '20000 1000 1'),
  ('samples', 'sqlite_autoindex_samples_1', '20000 1000 1'),
  ('snapshots', 'sqlite_autoindex_snapshots_1', '2000 100 1'),
  ('chain', 'sqlite_autoindex_chain_1', '2000 100 1'),
  ('runs', NULL, '20');
