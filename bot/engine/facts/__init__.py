"""Fact builders: one module per kind of answer. They return messages and references,
never prose, each fact with its source."""
