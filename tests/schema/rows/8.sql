-- a run with the skip reasons schema 8 added: not_request, expired, future
INSERT INTO runs (started, version, inputs, lines, pageviews, malformed, not_get, status, static,
	bot, beacon, other_site, excluded, not_request, expired, future) VALUES
	('2024-03-09', '0.1.0', '[]', 90, 40, 0, 2, 3, 30, 4, 1, 0, 0, 5, 3, 2);
