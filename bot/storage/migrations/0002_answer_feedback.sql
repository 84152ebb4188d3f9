-- 👍/👎 on an answer: one row per person and answer (`voter` is a salted hash of the user
-- id, never the id), replaced when the person changes their vote. Joined to answer_log by
-- answer_id for the entry (rule, intent, matches) the vote is about; no foreign key, so a
-- vote is kept even when its answer's row was dropped while the database was unreachable.
CREATE TABLE answer_feedback (
    answer_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    vote SMALLINT NOT NULL CHECK (vote IN (-1, 1)),
    voted_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (answer_id, voter)
);

CREATE INDEX answer_feedback_voted_at ON answer_feedback (voted_at);
