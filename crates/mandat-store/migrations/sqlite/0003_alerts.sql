-- mandat store, SQLite schema 3: alert subscriptions and their delivery outbox.
-- (Schema 2 exists only on PostgreSQL; the versions are shared so both backends number alike.)
-- An alert is queued in `alert_outbox` before it is sent and marked when it was delivered, so a
-- restart loses nothing; `event_key` is unique per subscription, so the same event is never queued
-- twice however often the triggers are evaluated.

CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users (id),
    mission     TEXT,
    kinds       TEXT    NOT NULL,
    within_days INTEGER NOT NULL,
    channel     TEXT    NOT NULL CHECK (channel IN ('webhook', 'email')),
    target      TEXT    NOT NULL,
    secret      TEXT,
    fact_cursor INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subscriptions_owner ON subscriptions (owner_id, id);

CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    event_key       TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT,
    dead            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (subscription_id, event_key)
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND dead = 0;
