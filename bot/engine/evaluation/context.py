"""One query being evaluated: the query and the FAQ entries closest to its words."""

from __future__ import annotations

from bot.engine.facts.library import Library
from bot.engine.faq import FaqHit, FaqIndex
from bot.engine.reading.query import Query
from bot.engine.thresholds import FAQ_ANSWER

# Words that spread what is asked over every cluster ("each project", 各地域): grammar, kept
# in code like bot.engine.cues's follow-up words.
_WHICH_WORDS = frozenset({"which", "what", "many"})  # "how many clusters"
_JA_WHICH = ("どの", "何件の", "いくつの")
_DISTRIBUTIVE_WORDS = ("each",)
_JA_DISTRIBUTIVE = ("各",)


class Context:
    """One query being evaluated and, computed on first use, the FAQ entries closest to it
    (a question naming a cluster never pays for the search)."""

    __slots__ = ("_hits", "faq", "lib", "query")

    def __init__(self, lib: Library, faq: FaqIndex, query: Query) -> None:
        self.lib = lib
        self.query = query
        self.faq = faq
        self._hits: tuple[FaqHit, ...] | None = None

    @property
    def hits(self) -> tuple[FaqHit, ...]:
        if self._hits is None:
            query = self.query
            self._hits = tuple(self.faq.search(query.text, topics=query.cues))
        return self._hits

    @property
    def strong(self) -> bool:
        """The best FAQ entry scores enough to be the answer."""
        return bool(self.hits) and self.hits[0].score >= FAQ_ANSWER

    @property
    def listing(self) -> bool:
        """The question asks for a list rather than about one thing."""
        query = self.query
        return "list" in query.cues or query.noun_phrase or (not query.leftover and not self.strong)

    def names_a(self, *kinds: str) -> bool:
        """The question holds one of lexicon.yaml's generic nouns of these kinds
        ("clusters", "projects", "a region", 「地域」)."""
        text = self.query.text
        tokens = set(text.tokens)
        nouns = self.lib.kb.lexicon.nouns
        return any(
            noun in tokens if noun.isascii() else noun in text.compact
            for kind in kinds
            for noun in nouns.get(kind, ())
        )

    @property
    def asks_which_clusters(self) -> bool:
        """The question's head asks for clusters: "which cluster …", "what clusters …",
        "how many clusters …", 「どのクラスター」 — a wh-word right before a cluster noun."""
        text = self.query.text
        nouns = self.lib.kb.lexicon.nouns.get("cluster", ())
        tokens = text.tokens
        for position, token in enumerate(tokens):
            if token in _WHICH_WORDS and any(
                t in nouns for t in tokens[position + 1 : position + 3]
            ):
                return True
        return any(f"{w}{n}" in text.compact for w in _JA_WHICH for n in nouns if not n.isascii())

    @property
    def distributes(self) -> bool:
        """What is asked is asked of each one ("how much does each cluster get?")."""
        text = self.query.text
        return any(w in text.tokens for w in _DISTRIBUTIVE_WORDS) or any(
            w in text.compact for w in _JA_DISTRIBUTIVE
        )
