"""The shape of a question, beyond its words: a greeting and nothing else, a listing's
title ("環境分野のクラスターは？"), fields written as part of a cluster's name ("the Sapporo
IT cluster")."""

from __future__ import annotations

from bot.engine import constraints as C
from bot.engine.regions import RegionMatch
from bot.engine.text import Text
from bot.engine.vocabulary import STOPWORDS

_GREETING_FILLER = frozenset("kcbot bot there everyone all guys folks".split())


def describes_a_cluster(field_hits, query: Text, regions: RegionMatch) -> bool:
    """ "the Sapporo IT cluster", "IT cluster in Sapporo", "札幌のITクラスター": fields
    written as part of a cluster's name, which pick one of the place's clusters."""
    places = set(regions.consumed)
    tokens = query.tokens
    for hit in field_hits:
        following = tokens[hit.end] if hit.end < len(tokens) else ""
        if following.startswith(("クラスター", "クラスタ")) or (
            not hit.latin and query.compact[hit.end :].startswith(("クラスター", "クラスタ"))
        ):
            return True
        if not hit.latin:
            continue
        beside_place = hit.start - 1 in places or hit.end in places
        if beside_place and (following in C.CLUSTER_NOUNS or following == "" or hit.end in places):
            return True
        if following in ("cluster", "clusters") and places & set(range(hit.end + 1, hit.end + 4)):
            return True
    return False


_JA_GRAMMAR = frozenset("のはがをにでともやへかなだ？?、。！!")
_JA_DOMAIN_WORDS = ("クラスター", "クラスタ", "知的クラスター")


def japanese_is_noun_phrase(query: Text, hits) -> bool:
    """ "環境分野のクラスターは？": the Japanese words are all recognised vocabulary,
    particles and the word cluster, as in a listing's title."""
    text = "".join(t for t in query.tokens if not t.isascii())
    if not text:
        return True
    compact = query.compact
    covered = [False] * len(compact)
    for hit in hits:
        if not hit.latin:
            covered[hit.start : hit.end] = [True] * (hit.end - hit.start)
    rest = "".join(
        ch for ch, done in zip(compact, covered, strict=True) if not done and not ch.isascii()
    )
    for word in _JA_DOMAIN_WORDS:
        rest = rest.replace(word, "")
    return all(ch in _JA_GRAMMAR for ch in rest)


def greeting_only(query: Text, intent_hits, field_hits, regions: RegionMatch) -> bool:
    """Only greeting or thanks words (and the bot's name): nothing is asked."""
    if not intent_hits or field_hits or regions.cluster_ids or regions.unclustered:
        return False
    if any(hit.payload != "greeting" for hit in intent_hits):
        return False
    greeting_positions = {p for h in intent_hits if h.latin for p in range(h.start, h.end)}
    rest = [
        t
        for i, t in enumerate(query.tokens)
        if i not in greeting_positions
        and t.isascii()
        and t not in _GREETING_FILLER
        and t not in STOPWORDS
    ]
    japanese = "".join(t for t in query.tokens if not t.isascii())
    for hit in intent_hits:
        if not hit.latin:
            japanese = japanese.replace(hit.phrase, "", 1)
    return not rest and len(japanese) <= 2
