-- rows of the table schema 3 added: load_hourly (its view computes the
-- percentiles of what is here)
INSERT INTO load_hourly (site, hour, page, source, n, sum_ms, max_ms, le_10, le_25, le_50,
	le_100, le_250, le_500, le_1000, le_2500, le_5000, le_10000, le_25000, le_60000,
	gt_60000) VALUES
	('www.example.org', '2024-03-04T10', '/', 'server', 10, 1500, 900, 1, 1, 1, 1, 2, 2, 2,
	 0, 0, 0, 0, 0, 0),
	('www.example.org', '2024-03-05T23', '/', 'server', 2, 70000, 65000, 0, 0, 0, 0, 0, 0, 0,
	 0, 1, 0, 0, 0, 1);
