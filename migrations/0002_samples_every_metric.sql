ALTER TABLE `samples` ADD `refault_rate` real;--> statement-breakpoint
ALTER TABLE `samples` ADD `reclaims` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `eviction_inversion` real;--> statement-breakpoint
ALTER TABLE `samples` ADD `reparent_splices` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `reparent_folios_walked` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `reparent_retries` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `low_events` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `high_events` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `max_events` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `oom_events` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `oom_kill` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `throttle_ticks` integer;