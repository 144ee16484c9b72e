-- rows of the tables schema 7 added: days (its migration marked every
-- day of page_daily closed, as this sets them), resume
INSERT OR REPLACE INTO days (site, day, state) VALUES
	('www.example.org', '2024-03-04', 'closed'),
	('www.example.org', '2024-03-05', 'open'),
	('shop.example.org', '2024-03-05', 'closed');
INSERT INTO resume (fingerprint, fp_bytes, closed_offset, reached_offset, closed_line,
	reached_line) VALUES
	(1234567890123, 4096, 100000, 120000, 800, 950),
	(-42, 300, 300, 300, 3, 3);
