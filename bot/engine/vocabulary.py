"""Words the engine treats as grammar rather than content.

Intent, field, stage and status words come from the knowledge base's YAML; these are the
English function words and the domain's own generic words, which say nothing about *which*
region or FAQ entry is meant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.kb.text import normalize

if TYPE_CHECKING:
    from bot.kb.model import KnowledgeBase

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with about into over under as than
    is are was were be been being am do does did done doing have has had having will would
    shall should can could may might must
    i me my mine we us our you your yours he him his she her it its they them their theirs
    this that these those there here what which who whom whose when where why how
    please pls plz tell give show me let know want wanted need like would could find get list
    any some all each every no not only just also too very really much many more most
    so then yet still again ever other others another one ones
    thanks thank ok okay hey hi hello yo whats hows wheres whos whens
    s t d ll re ve m
    """.split()
)

# Words of talking to the bot itself, whatever the programme.
BOT_WORDS = frozenset({"bot", "kcbot"})


def latin_words(phrases) -> frozenset[str]:
    """The English words of phrases ("knowledge cluster initiative" → three words)."""
    return frozenset(w for p in phrases for w in normalize(p).split() if w.isascii())


def domain_words(kb: KnowledgeBase) -> frozenset[str]:
    """Generic words of the domain, from lexicon.yaml: the nouns for clusters, places and
    the edition, and the programme's own names. Present in most questions, they pick no
    region or FAQ entry."""
    lexicon = kb.lexicon
    nouns = [p for kind in ("cluster", "place", "edition") for p in lexicon.nouns.get(kind, ())]
    return latin_words([*nouns, *lexicon.programme]) | BOT_WORDS


def vocabulary_of(kb: KnowledgeBase) -> set[str]:
    """Every word the knowledge base's own phrasings use: stop, domain, intent, field,
    stage and status words and the FAQ's phrasings (they are not misspelt places)."""
    words: set[str] = set(STOPWORDS) | domain_words(kb)
    for phrases in kb.intents.values():
        words.update(w for p in phrases for w in normalize(p).split())
    for source in (
        [s for f in kb.fields.values() for s in (f.name, *f.synonyms)],
        [
            s
            for t in (*kb.stages.values(), *kb.statuses.values())
            for s in (t.name, *t.synonyms, *t.contextual)
        ],
        [s for e in kb.faq for s in (e.question, *e.alternates, *e.keywords)],
        # Another programme's name is read whole ("coastal startup fund"), never one of its
        # words as a typo of a cue ("startup" → "startups").
        [s for phrases in kb.lexicon.other_programmes.values() for s in phrases],
    ):
        words.update(w for s in source for w in normalize(s).split())
    return words
