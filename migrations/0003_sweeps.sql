CREATE TABLE `sweeps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`experiment` text NOT NULL,
	`matrix` text NOT NULL,
	`created` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `sweep` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `sweep_cell` integer;