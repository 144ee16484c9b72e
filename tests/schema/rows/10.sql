-- schema 10's merge bookkeeping: the database's own id (one row, random
-- when made: a fixed value here) and the (site, day, source) a merge keeps
INSERT INTO database_id (id) VALUES (4611686018427387905);
INSERT INTO merge_sources (site, day, source_id) VALUES
	('www.example.org', '2024-03-04', 1234567),
	('www.example.org', '2024-03-04', 7654321);
