-- mandat store, PostgreSQL schema 2: search latency.
-- With GIN's fast update, new passages wait in a pending list that every search scans in full until
-- it is merged (at 4 MB or by autovacuum), so search time grew with recent ingestion (7 ms instead
-- of 1 ms for a rare phrase at 12,000 documents). Passages now go straight into the index; the
-- list left by earlier inserts is merged here.
ALTER INDEX passages_tsv SET (fastupdate = off);
SELECT gin_clean_pending_list('passages_tsv'::regclass);
