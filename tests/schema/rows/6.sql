-- rows of the table schema 6 added: bots_daily
INSERT INTO bots_daily (site, day, bot, requests) VALUES
	('www.example.org', '2024-03-04', 'Googlebot', 42),
	('www.example.org', '2024-03-05', 'bingbot', 7);
