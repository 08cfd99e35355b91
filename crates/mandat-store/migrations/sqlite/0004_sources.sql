-- mandat store, SQLite schema 4: the sources facts are cited from (publisher, title, date, address),
-- each optionally linked to the stored document it is. Rows are only inserted: a source id, once
-- recorded, keeps its content (a changed source is a new id).

CREATE TABLE sources (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    publisher     TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    date          TEXT    NOT NULL,
    url           TEXT,
    lang          TEXT    NOT NULL,
    printed_paper TEXT,
    document_id   INTEGER UNIQUE REFERENCES documents (id),
    missions      TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
