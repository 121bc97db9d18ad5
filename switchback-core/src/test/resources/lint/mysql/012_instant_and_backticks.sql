-- expect: none
ALTER TABLE `users` ADD COLUMN `score` INT DEFAULT 0, ALGORITHM=INSTANT;
ALTER TABLE `users` ALTER COLUMN `status` SET DEFAULT 'new';
CREATE INDEX `users_score_idx` ON `users` (`score`);
