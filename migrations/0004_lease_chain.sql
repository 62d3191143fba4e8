CREATE TABLE `chain` (
	`run` integer NOT NULL,
	`seq` integer NOT NULL,
	`events` text NOT NULL,
	`data` text NOT NULL,
	`digest` text NOT NULL,
	PRIMARY KEY(`run`, `seq`)
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `host` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `boot_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `holder_start` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `heartbeat` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_ms` integer;