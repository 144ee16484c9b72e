-- the visitors schema 9 added to load_hourly and engagement_daily (the
-- small-cell rule): a row written after the upgrade carries them
INSERT INTO load_hourly (site, hour, page, source, n, sum_ms, max_ms, le_10, le_25, le_50,
	le_100, le_250, le_500, le_1000, le_2500, le_5000, le_10000, le_25000, le_60000,
	gt_60000, visitors) VALUES
	('www.example.org', '2024-03-05T11', '/', 'server', 6, 900, 400, 0, 0, 1, 2, 2, 1, 0,
	 0, 0, 0, 0, 0, 0, 5);
INSERT INTO engagement_daily (site, day, page, measured, engaged_s, scroll_25, scroll_50,
	scroll_75, scroll_100, visitors) VALUES
	('www.example.org', '2024-03-05', '/pricing', 7, 210, 6, 4, 2, 1, 6);
