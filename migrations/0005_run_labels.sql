CREATE TABLE `run_tags` (
	`run` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`run`, `key`)
);
--> statement-breakpoint
CREATE INDEX `run_tags_key` ON `run_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `sweep_tags` (
	`sweep` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`sweep`, `key`)
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `note` text;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `note` text;