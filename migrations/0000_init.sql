CREATE TABLE `event_types` (
	`code` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`columns` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_types_name_unique` ON `event_types` (`name`);--> statement-breakpoint
CREATE TABLE `events` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`type` integer NOT NULL,
	`memcg` integer NOT NULL,
	`folio` integer NOT NULL,
	`a` integer NOT NULL,
	`b` integer NOT NULL,
	`data` text,
	PRIMARY KEY(`run`, `seq`)
) WITHOUT ROWID; -- hand-edited: drizzle has no WITHOUT ROWID option; (run, seq) is the clustered key
--> statement-breakpoint
CREATE TABLE `memcgs` (
	`run` integer NOT NULL,
	`id` integer NOT NULL,
	`path` text NOT NULL,
	`parent` integer NOT NULL,
	`created_seq` integer NOT NULL,
	`created_tick` integer NOT NULL,
	`offline_seq` integer,
	`offline_tick` integer,
	`freed_seq` integer,
	`freed_tick` integer,
	PRIMARY KEY(`run`, `id`)
);
--> statement-breakpoint
CREATE INDEX `memcgs_path` ON `memcgs` (`run`,`path`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`experiment` text NOT NULL,
	`policy` text NOT NULL,
	`lru` text NOT NULL,
	`seed` integer NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`events` integer DEFAULT 0 NOT NULL,
	`cycles` integer DEFAULT 0 NOT NULL,
	`state_hash` text,
	`metrics` text,
	`schema_version` integer NOT NULL,
	`code_version` text NOT NULL,
	`pid` integer
);
--> statement-breakpoint
CREATE TABLE `samples` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`cycle` integer NOT NULL,
	`nr_dying` integer NOT NULL,
	`dying_bytes` integer NOT NULL,
	`stale_pages` integer NOT NULL,
	`memory_current` integer NOT NULL,
	`pgscan` integer NOT NULL,
	`pgsteal` integer NOT NULL,
	`reclaim_efficiency` real,
	`workingset_refault_file` integer NOT NULL,
	`lruvecs_scanned` integer NOT NULL,
	PRIMARY KEY(`run`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `snapshots` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`tick` integer NOT NULL,
	`cycle` integer NOT NULL,
	`state` blob NOT NULL,
	`lab` text NOT NULL,
	`state_hash` text NOT NULL,
	PRIMARY KEY(`run`, `seq`)
);
--> statement-breakpoint
CREATE VIEW `events_v` AS select "events"."run", "events"."seq", "events"."tick", "event_types"."name" as "type", "events"."memcg", "events"."folio", "events"."a", "events"."b", "events"."data" from "events" inner join "event_types" on "event_types"."code" = "events"."type";