-- rows of the table schema 2 added: breakdown_daily
INSERT INTO breakdown_daily (site, day, page, dimension, value, pageviews, visitors) VALUES
	('www.example.org', '2024-03-04', '/', 'browser', 'Firefox 125', 60, 40),
	('www.example.org', '2024-03-04', '/', 'browser', '(other)', 60, 40),
	('www.example.org', '2024-03-05', '/', 'referrer', 'search.example', 20, 18),
	('shop.example.org', '2024-03-05', '/cart', 'country', 'FR', 7, 5);
