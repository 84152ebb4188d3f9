"""The question log and answer feedback in a database: SQLite by default, PostgreSQL shared.

`open_store(target)` gives a `Store` (one small async interface, two implementations);
`LogWriter` takes records off the answer path and writes them in batches; `QuestionLog` is
the application listener that turns every answer into a record.
"""
