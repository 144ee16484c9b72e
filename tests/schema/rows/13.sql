-- what schema 13 added: the K and mask of a day (NULL: written before,
-- unknown; one day here says its own), resume points of line signatures
-- and the days they hold (a closed one here: an open day of an input
-- not given holds a run back)
UPDATE days SET min_visitors = 5, mask_bytes = 2
	WHERE site = 'www.example.org' AND day = '2024-03-05';
INSERT INTO resume (fingerprint, fp_lines, name, closed_line, reached_line, first_day,
	last_day) VALUES
	(987654321, 16, 'access.log', 800, 950, '2024-03-04', '2024-03-05'),
	(-7, 3, '(stdin)', 3, 3, '2024-03-05', '2024-03-05');
INSERT INTO resume_days (fingerprint, fp_lines, site, day) VALUES
	(987654321, 16, 'shop.example.org', '2024-03-05');
