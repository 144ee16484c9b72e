-- rows of the tables schema 4 added: engagement_daily, action_daily; a
-- run with beacon requests
INSERT INTO engagement_daily (site, day, page, measured, engaged_s, scroll_25, scroll_50,
	scroll_75, scroll_100) VALUES
	('www.example.org', '2024-03-04', '/', 40, 2400, 30, 20, 10, 5);
INSERT INTO action_daily (site, day, page, action, label, count, visitors) VALUES
	('www.example.org', '2024-03-04', '/', 'click', 'signup', 9, 7),
	('www.example.org', '2024-03-05', '/about', 'download', 'brochure.pdf', 3, 3);
INSERT INTO runs (started, version, inputs, lines, pageviews, malformed, not_get, status, static,
	bot, beacon) VALUES
	('2024-03-07', '0.1.0', '[]', 50, 20, 0, 1, 2, 20, 3, 4);
