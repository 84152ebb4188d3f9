"""Every score threshold the engine decides by, named, in one place.

Tuned on the development set (tests/devset.yaml), never on a single question. The
routing rules and the matchers import them from here, so "why was this declined?" is
answered by reading one file.
"""

from __future__ import annotations

# -- region names (rapidfuzz ratio, 0..100), RoboDanny's clear-winner rule
REGION_ACCEPT = 80.0  # a fuzzy match at least this good may be taken ...
REGION_CLEAR_MARGIN = 8.0  # ... if it leads the best *other* target by this much (or is 100)
REGION_SUGGEST = 58.0  # below ACCEPT but at least this: "did you mean ...?"
REGION_MIN_FUZZY_CHARS = 4  # "ube" or "it" are only taken exactly: fuzz is noise that short
REGION_MAX_FUZZY_TOKENS = 3
# ... and each of its words at least this close to a word of the name ("banana" is no Nagano)
REGION_WORD_SCORE = 70.0
REGION_WORD_SUGGEST = 55.0  # ... and this close to be offered ("tokyo": did you mean Kyoto?)
REGION_PREFIX_MIN_CHARS = 3  # an option typed this far may name the one place it starts
REGION_PREFIX_CONFIDENCE = 0.9  # the confidence of a region option read from its first letters
OPTION_QUOTED_CHARS = 80  # how much of an unknown option a reply quotes back

# -- vocabulary spelling correction ("budjet", "clsuters")
SPELL_SCORE = 82.0  # an unknown word this close to a vocabulary word is read as that word
SPELL_MIN_CHARS = 5
# An unexplained word this long, one edit from a grammar word, is a typo of it (two edits
# from this many letters on): "whcih" explains itself; "beef" (not "been") never does.
TYPO_MIN_CHARS = 5
TYPO_TWO_EDITS_CHARS = 8
# A word this short that nothing knows is read as the one cue word it is one edit from
# ("phne" is "phone"); the ratio-based spelling correction needs longer words.
SHORT_TYPO_CHARS = 4

# -- FAQ retrieval (scores 0..1)
FAQ_ANSWER = 0.45  # an entry scoring this much answers the question
# Below ANSWER: offered as "did you mean". At 0.34, "who is the best player in the world"
# (0.36) and "who won the world cup" (0.37) were offered the Third Basic Plan; the dev and
# held-out sets score the same at 0.40.
FAQ_SUGGEST = 0.40
FAQ_KEYWORD_BONUS = 0.12  # per distinct keyword of the entry found in the question
FAQ_MAX_KEYWORD_BONUS = 0.24
FAQ_TOPIC_BONUS = 0.1  # the question's intent words name the entry's topic (e.g. budget)
FAQ_TYPO_SCORE = 82.0  # an unknown word this close to an indexed word is read as that word
FAQ_VERBATIM_SCORE = 80.0  # a whole phrasing typed this closely (typos and all) is that entry
FAQ_MIN_TYPO_CHARS = 5
FAQ_RERANK = 40  # candidates re-scored with rapidfuzz
FAQ_COMMON_SHARE = 0.05  # words in more than this share of phrasings do not fetch candidates
FAQ_COMMON_FLOOR = 64
# BM25 over whole entries (faq_bm25), fused with the phrasing scores above
FAQ_BM25_SHARE = 0.5  # fused score = (1 - share) * phrasing score + share * entry BM25
FAQ_BM25_K1 = 1.2
FAQ_BM25_B = 0.75
FAQ_BM25_ANSWER_WEIGHT = 0.3  # an answer's words count this much against a phrasing's
FAQ_BM25_RARE_SHARE = 0.05  # terms in at most this share of entries fetch candidates ...
FAQ_BM25_RARE_FLOOR = 64  # ... or in at most this many; the others only add to scores
FAQ_BM25_CANDIDATES = 20  # the best BM25 entries join the phrasing candidates
FAQ_BM25_WEAK_WEIGHT = 0.3  # the domain's generic words ("programme") weigh this much
FAQ_VERBATIM_MIN_OVERLAP = 90.0  # below this, a near-verbatim match must share a word

# -- autocomplete (rapidfuzz, 0..100)
COMPLETE_FUZZY_CUTOFF = 70.0
COMPLETE_FIELD_CUTOFF = 60.0
COMPLETE_QUESTION_CUTOFF = 75.0  # /ask: a FAQ phrasing or a name at least this close (WRatio)
MAX_SUGGESTIONS = 3
MAX_CHOICES = 25  # a reply covering more clusters offers no choice among them ("the 2nd one")
# A FAQ entry numbering its subject otherwise ("the Second Basic Plan" for "the Third") keeps
# this share of its score.
ORDINAL_MISMATCH = 0.5
# A sentence of the sources is quoted as the answer when it scores this much (BM25, 0..1)
# and no FAQ entry fits; others within this share of the best are quoted beside it.
PASSAGE_ANSWER = 0.5
PASSAGE_NEAR_BEST = 0.8
MAX_PASSAGES = 2
