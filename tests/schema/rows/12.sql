-- schema 12 only recreated the view load_hourly_stats (a row of one sample
-- gives that sample): no table to fill; one more one-sample row to read
-- through the new view
INSERT INTO load_hourly (site, hour, page, source, n, sum_ms, max_ms, le_10, le_25, le_50,
	le_100, le_250, le_500, le_1000, le_2500, le_5000, le_10000, le_25000, le_60000,
	gt_60000, visitors) VALUES
	('www.example.org', '2024-03-05T12', '/', 'server', 1, 102, 102, 0, 0, 0, 0, 1, 0, 0,
	 0, 0, 0, 0, 0, 0, 5);
