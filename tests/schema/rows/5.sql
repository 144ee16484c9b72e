-- a run with the skip reasons schema 5 added: other_site, excluded
INSERT INTO runs (started, version, inputs, lines, pageviews, malformed, not_get, status, static,
	bot, beacon, other_site, excluded) VALUES
	('2024-03-08', '0.1.0', '[]', 70, 30, 1, 1, 1, 10, 2, 5, 12, 8);
