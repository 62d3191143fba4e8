DROP TABLE `meta`;--> statement-breakpoint
ALTER TABLE `event_types` ADD `what` text DEFAULT '' NOT NULL;