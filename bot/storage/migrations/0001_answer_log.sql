-- One row per answer the bot gave to a person. No user or message ids; the question's text
-- only for declined and low-confidence answers (and only while QUESTION_LOG_TEXT is on); the
-- guild id only while QUESTION_LOG_GUILD is on. Rows older than the retention window are
-- purged. Times are seconds since the Unix epoch (UTC), portable to SQLite and PostgreSQL.
CREATE TABLE answer_log (
    answer_id TEXT PRIMARY KEY,
    answered_at DOUBLE PRECISION NOT NULL,
    route TEXT NOT NULL,
    command TEXT NOT NULL,
    rule TEXT NOT NULL,
    intent TEXT NOT NULL,
    answered BOOLEAN NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    matches TEXT NOT NULL,
    lang TEXT NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    question TEXT,
    guild_id TEXT
);

CREATE INDEX answer_log_answered_at ON answer_log (answered_at);
