-- mandat store, SQLite schema 1.
-- Times are microseconds since the Unix epoch (UTC) in INTEGER columns, so that both backends compare
-- them the same way. Facts are append-only: claims and review_events are only ever inserted.

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    content_hash   TEXT    NOT NULL UNIQUE,
    source         TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    lang           TEXT    NOT NULL,
    title          TEXT,
    published      TEXT,
    text           TEXT    NOT NULL,
    bytes_len      INTEGER NOT NULL,
    classification INTEGER NOT NULL DEFAULT 0,
    actor          TEXT    NOT NULL,
    ingested_at    INTEGER NOT NULL
);
CREATE INDEX documents_published ON documents (published, id);

CREATE TABLE document_missions (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    mission     TEXT    NOT NULL,
    PRIMARY KEY (document_id, mission)
);
CREATE INDEX document_missions_mission ON document_missions (mission, document_id);

CREATE TABLE document_links (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    other_id    INTEGER NOT NULL REFERENCES documents (id),
    kind        TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    UNIQUE (document_id, other_id, kind)
);

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    fact_id        TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    missions       TEXT    NOT NULL,
    valid_from     TEXT,
    recorded_at    INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    document_id    INTEGER REFERENCES documents (id),
    span_start     INTEGER,
    span_end       INTEGER,
    quote          TEXT,
    citation       TEXT,
    supersedes     INTEGER REFERENCES claims (id),
    classification INTEGER NOT NULL DEFAULT 0,
    actor          TEXT    NOT NULL
);
CREATE INDEX claims_fact ON claims (fact_id);
CREATE INDEX claims_kind ON claims (kind);
CREATE INDEX claims_document ON claims (document_id, span_start);
CREATE INDEX claims_supersedes ON claims (supersedes);

CREATE TABLE claim_missions (
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    mission  TEXT    NOT NULL,
    PRIMARY KEY (claim_id, mission)
);
CREATE INDEX claim_missions_mission ON claim_missions (mission, claim_id);

CREATE TABLE review_events (
    id       INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    status   TEXT    NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'retracted', 'superseded')),
    actor    TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    note     TEXT
);
CREATE INDEX review_events_claim ON review_events (claim_id, at, id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('reader', 'reviewer', 'editor', 'admin')),
    clearance     INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    created_at    INTEGER NOT NULL
);

CREATE TABLE tokens (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Search: documents are cut into passages; each passage's tokens are stemmed in Rust (by the
-- document's language) and indexed here. Derived data: rebuilt from documents on import.
CREATE TABLE passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    stem_lang   TEXT    NOT NULL,
    start_byte  INTEGER NOT NULL,
    end_byte    INTEGER NOT NULL
);
CREATE INDEX passages_document ON passages (document_id, start_byte);

CREATE VIRTUAL TABLE passages_fts USING fts5 (de, en, plain, content = '', tokenize = 'unicode61 remove_diacritics 0');
