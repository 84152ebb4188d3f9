-- What an editor needs to find the bot's confident mistakes (the report's "possible
-- mistakes"): how the question was read, the words nothing read, and the rephrasing link.
-- `query_json`: the engine's reading of a typed question (`ask --json` shows it as "query"),
-- compact JSON, only what differs from an empty reading; no typed words in it while
-- QUESTION_LOG_TEXT is off. `unexplained`: space-separated words of the question the
-- lexicon did not read (for an answer given, words only its entry's text held; for an
-- offer, the words it could not read), none while QUESTION_LOG_TEXT is off. `rephrases`:
-- the answer_id of the same conversation's previous question when this one was asked
-- again within QUESTION_LOG_RETRY_SECONDS of it, never who asked. Rows written before
-- this migration have NULL in all three; they are purged like every row.
ALTER TABLE answer_log ADD COLUMN query_json TEXT;
ALTER TABLE answer_log ADD COLUMN unexplained TEXT;
ALTER TABLE answer_log ADD COLUMN rephrases TEXT;
