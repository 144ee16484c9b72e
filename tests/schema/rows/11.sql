-- schema 11's site totals: one site_daily row per day written, and the
-- site's breakdown cells
INSERT INTO site_daily (site, day, pageviews, visitors, visits, bounces, time_on_page_s,
	time_on_page_n) VALUES
	('www.example.org', '2024-03-04', 40, 12, 15, 6, 1800, 20),
	('www.example.org', '2024-03-05', 0, 0, 0, 0, 0, 0);
INSERT INTO site_breakdown_daily (site, day, dimension, value, pageviews, visitors) VALUES
	('www.example.org', '2024-03-04', 'browser', 'Firefox 125', 22, 7),
	('www.example.org', '2024-03-04', 'browser', '(other)', 18, 5);
