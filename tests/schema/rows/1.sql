-- rows of the tables of schema 1 (page_daily, runs), in its columns only
INSERT INTO page_daily (site, day, page, pageviews, visitors, visits, entrances, bounces, exits,
	time_on_page_s, time_on_page_n) VALUES
	('www.example.org', '2024-03-04', '/', 120, 80, 90, 70, 30, 40, 3600, 50),
	('www.example.org', '2024-03-04', '/about', 12, 10, 11, 5, 2, 6, 240, 6),
	('www.example.org', '2024-03-05', '/', 130, 85, 95, 75, 35, 45, 3900, 55),
	('shop.example.org', '2024-03-05', '/cart', 7, 5, 5, 1, 0, 3, 60, 2);
INSERT INTO runs (started, version, inputs, lines, pageviews, malformed, not_get, status, static,
	bot) VALUES
	('2024-03-05', '0.1.0', '[{"name":"access.log.1","bytes":123456}]', 1000, 269, 3, 10, 20,
	 600, 98),
	('2024-03-06', '0.1.0', '[{"name":"access.log","bytes":654}]', 10, 0, 0, 0, 0, 10, 0);
