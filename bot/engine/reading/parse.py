"""Reading a question into a `Query`: the lexicon's items on a chart, the composed rules over
them, and the words nothing explained.

`Parser` is built once per knowledge base; `parse()` is pure and never raises. The evaluator
(`bot.engine.evaluate`) looks only at the `Query` it returns, never at the raw text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.engine.reading import chart as K
from bot.engine.reading import rules as R
from bot.engine.reading import shape
from bot.engine.reading.chart import Chart, Item
from bot.engine.reading.lexicon import Lexicon, items_of
from bot.engine.reading.query import (
    CONTACT,
    CONTACT_DETAILS,
    WH_WORDS,
    Act,
    Asked,
    ClusterSet,
    FieldConstraint,
    Mode,
    Presupposition,
    Query,
    Time,
    When,
    Whole,
)
from bot.engine.text import PhraseHit, Text, strip_diacritics
from bot.engine.vocabulary import STOPWORDS
from bot.kb.model import KnowledgeBase

# Words after a lower-case "it" that make it the field IT rather than the pronoun.
_IT_CONTEXT = frozenset(
    "field fields cluster clusters sector industry related research area areas work".split()
)
_AUXILIARIES = frozenset("does did do is was has had can could will would should".split())
# Facts about a cluster that the sources do not give: asking one gets "the sources don't
# give that" (intent names of knowledge/intents.yaml).
MISSING_FACTS = ("director", "members", "results", "website", "staff")
_HIRAGANA = ("\u3041", "\u309f")
_HONORIFICS = ("さん", "様", "さま", "氏", "先生", "教授")
_COUNT_CUES = frozenset({"count"})
_LIST_CUES = frozenset({"list"})
_PREDICATE_CUES = frozenset({"start", "end"})
_OUTCOME_CUES = frozenset({"end", "fate"})
_AREA_NOUNS = frozenset({"region", "area", "地方"})


class Parser:
    """Reads questions against one knowledge base's lexicon; immutable once built."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.lexicon = Lexicon(kb)
        self.stage_ids = tuple(kb.stages)
        self.status_ids = tuple(kb.statuses)
        # The years programme.yaml gives a budget for: another year's budget is a fact the
        # sources lack.
        self.budget_years = frozenset(f.year for f in kb.programme.figures_of("budget"))

    def parse(self, text: Text) -> Query:
        """The query a question asks, misspelt vocabulary corrected first."""
        if text.is_empty:
            return Query(text=text, act=Act.EMPTY)
        lex = self.lexicon
        text = lex.spell_corrected(text)
        chart = Chart(text)
        # Leftmost-longest, so "phone number of" is a contact phrase, not "number of".
        intent_hits = lex.intents.find(text, longest_only=True)
        field_hits = [
            hit
            for hit in lex.fields.find(text, longest_only=True)
            if not (hit.latin and hit.phrase == "it" and not _is_field_it(text, hit.start))
        ]
        stage_hits = lex.stages.find(text, longest_only=True)
        status_hits = lex.statuses.find(text, longest_only=True)
        section_hits = lex.sections.find(text, longest_only=True)
        chart.extend(items_of(K.FIELD, field_hits, chart))
        chart.extend(items_of(K.STAGE, stage_hits, chart))
        chart.extend(items_of(K.STATUS, status_hits, chart))
        chart.extend(lex.grammar_items(text, chart))
        reading = R.Reading(
            self.stage_ids,
            self.status_ids,
            lex.contextual,
            lex.cluster_nouns,
            lex.stage_nouns,
            lex.asking_contextual,
        )
        # Intent cues inside a stage's or status's name ("2nd stage") are not asked; they
        # go on the chart after the terms are known.
        R.apply_terms(chart, reading)
        terms = [*chart.of_kind(R.STAGE_TERM), *chart.of_kind(R.STATUS_TERM)]
        in_terms = _term_cover(chart, terms)
        intent_hits = [h for h in intent_hits if not _inside(h, chart, in_terms)]
        chart.extend(items_of(K.CUE, intent_hits, chart))
        chart.extend(items_of(K.SECTION, section_hits, chart))

        used = {p for hit in field_hits if hit.latin for p in range(hit.start, hit.end)}
        for term in terms:
            first, end = chart.token_range(term.start, term.end)
            if text.tokens and text.tokens[first].isascii():
                used.update(range(first, end))
        # A prefecture's full name ("Fukuoka Prefecture", more words than its short form)
        # names the prefecture, not the place Fukuoka and its clusters.
        prefectures_named = [
            (first, end)
            for item in chart.of_kind(K.PREFECTURE)
            for first, end in [chart.token_range(item.start, item.end)]
            if end - first > 1
        ]
        # "the Kansai region", 「関西地方」: the area of Japan, not the cluster named after it.
        prefectures_named += [
            (first, end + 1)
            if end < len(text.tokens) and text.tokens[end] in _AREA_NOUNS
            else (first, end)
            for item in chart.of_kind(K.GEO_REGION)
            for first, end in [chart.token_range(item.start, item.end)]
            if end - first > 1 or (end < len(text.tokens) and text.tokens[end] in _AREA_NOUNS)
        ]
        regions = lex.regions.resolve(text, skip=frozenset(used), within=prefectures_named)
        names = [Item(K.NAME, None, *chart.latin_span(p, p + 1)) for p in regions.consumed]
        names += [Item(K.NAME, None, start, end) for start, end in regions.japanese_spans]
        chart.extend(names)
        # A cue inside a name is part of the name ("Science and Research Park").
        in_names = bytearray(chart.length)
        for name in names:
            in_names[name.start : name.end] = b"\x01" * (name.end - name.start)
        intent_hits = [h for h in intent_hits if not _inside_a_name(h, chart, in_names)]
        chart.items = [
            i for i in chart.items if i.kind != K.CUE or not all(in_names[i.start : i.end])
        ]
        R.apply(chart, reading)
        left_out = _names_left_out(chart, names, lex)
        if left_out:
            # "second stage IT clusters other than Hamamatsu": a set, without them
            # (their words stay read: consumed)
            kept = tuple(c for c in regions.cluster_ids if c not in left_out)
            regions = replace(regions, cluster_ids=kept)

        found = {hit.payload for hit in intent_hits}
        where = {hit.phrase for hit in intent_hits if hit.payload == "location"}
        in_the_edition = set(text.tokens) & lex.edition_nouns and regions.cluster_ids
        if "location" in found and in_the_edition and "map" not in found:
            # "where's Ube in the booklet?": where in the edition is its page.
            found.discard("location")
            found.add("page")
        if "organization" in found and where and where <= lex.which_or_where:
            # 「中核機関はどこ？」: a phrase that asks "which" as well as "where" (どこ), said of
            # an organization, asks which one it is, not where it is.
            found.discard("location")
        details = tuple(d for d in CONTACT_DETAILS if d in found)
        cues = frozenset(found | {CONTACT}) if details else frozenset(found)
        grammar_words = {
            position
            for item in chart.of_kind(K.FUNCTION, K.NOUN, K.AND, K.OR, K.NEGATION, K.CUE)
            for position in range(*chart.token_range(item.start, item.end))
        }
        leftover = tuple(
            token
            for position, token in enumerate(text.tokens)
            if position not in used
            and position not in regions.consumed
            and position not in grammar_words
            and token.isascii()
            and not token.isdigit()
            and token not in lex.known_words
        )
        # Cues of a predicate ("when did it start") do not make a listing's title.
        title_hits = [h for h in intent_hits if h.payload not in _PREDICATE_CUES]
        grammar = {p for hit in title_hits if hit.latin for p in range(hit.start, hit.end)}
        term_parts = {id(part) for term in terms for part in term.parts}
        earned_stage_or_status = [
            t for t in chart.of_kind(K.STAGE, K.STATUS) if id(t) in term_parts
        ]
        noun_phrase = all(
            position in used
            or position in grammar
            or token in lex.domain_words
            or not token.isascii()
            or token.isdigit()  # "第2期": the number of a Japanese stage name
            for position, token in enumerate(text.tokens)
        ) and shape.japanese_is_noun_phrase(
            text,
            [
                *title_hits,
                *field_hits,
                *(
                    h
                    for h in (*stage_hits, *status_hits)
                    if _earned_hit(h, chart, earned_stage_or_status)
                ),
            ],
            lex.ja_cluster_nouns,
        )

        excluded = tuple(dict.fromkeys(i.value for i in chart.of_kind(R.EXCLUDED_FIELD)))
        excluded_parts = {p for i in chart.of_kind(R.EXCLUDED_FIELD) for p in i.parts}
        fields = tuple(
            dict.fromkeys(i.value for i in chart.of_kind(K.FIELD) if i not in excluded_parts)
        )
        mode = "any"
        if len(fields) > 1 and any(chart.of_kind(R.FIELDS_ALL)):
            mode = "all"
        elif fields and any(chart.of_kind(R.FIELDS_ONLY)):
            mode = "only"
        stage = next((t.value for t in chart.of_kind(R.STAGE_TERM)), None)
        status = next((t.value for t in chart.of_kind(R.STATUS_TERM)), None)
        named_statuses = {t.value for t in chart.of_kind(R.STATUS_TERM)}
        if len(named_statuses) > 1 and not cues & {"more_than", "compare"}:
            status = None  # "how many first stage clusters, active + ended?": both, so all
        named_stages = {t.value for t in chart.of_kind(R.STAGE_TERM)}
        offered = _offered_as_a_choice(chart, list(chart.of_kind(R.STAGE_TERM)))
        comparing = bool(cues & {"more_than", "compare"})
        if len(named_stages) > 1 and ("count" in cues or offered) and not comparing:
            # 「第1期と第2期、それぞれいくつ？」: each stage's count, of all; "was it 1st or
            # 2nd stage?": which one, asked
            stage = None
        yes_no = shape.is_yes_no(text)
        every_status = list(chart.of_kind(K.STATUS))
        if status is None and yes_no and regions.cluster_ids and every_status:
            # "did Kyoto end?", "has Sapporo stopped?": the verb claims the status it names.
            status = every_status[0].value
        asks_status = False
        if regions.cluster_ids:
            predicate = [
                t
                for t in chart.of_kind(R.STATUS_TERM)
                if not R.modifies_a_noun(chart, t.parts[-1], regions.consumed, lex.cluster_nouns)
            ]
            # "is Toyama still going?", "is it done?": a yes/no question about a place and a
            # status word (even an ordinary one) or "still" asks for its status.
            asks_status = (
                bool(predicate)
                or ("still" in cues and ("stage" in cues or yes_no))
                or (yes_no and bool(every_status or list(chart.of_kind(R.STAGE_TERM))))
            ) and not shape.is_which_question(text)
        # "is the programme still running?", "has the initiative ended?": the status of the
        # programme itself, not a filter on its clusters.
        organizations = _outside_names(chart, K.ORGANIZATION, in_names)
        # The programme is the subject: named first, or its runner is ("is MEXT still
        # funding clusters?").
        programme_subject = (
            shape.names_the_programme(
                text, lex.programme_words, lex.ja_programme_words, lex.cluster_nouns
            )
            or lex.runner in organizations
            # "is it still running?" with nothing named: the bot's own subject (a follow-up
            # reads "it" as what the previous answer was about instead).
            or (
                yes_no
                and "it" in text.tokens[:4]
                and not (regions.cluster_ids or regions.unclustered or regions.near_misses)
                and not fields
            )
        )
        asks_programme_status = (
            not regions.cluster_ids
            and not fields
            and stage is None
            and ("still" in cues or bool(every_status))
            and yes_no
            and programme_subject
        )
        positive_hits = [h for h in field_hits if h.payload in fields]
        described = bool(regions.cluster_ids) and shape.describes_a_cluster(
            positive_hits, text, regions, lex.cluster_nouns
        )
        missing = [name for name in MISSING_FACTS if name in cues]
        # "why did it end?", "why was Sapporo discontinued?": the reason for what became of
        # it, which the sources never give (why it was started is its purpose, which they do).
        if "purpose" in cues and (cues & _OUTCOME_CUES or every_status):
            missing.append("reason")
        elif "purpose" in cues and regions.cluster_ids and cues <= {"purpose", "overview"}:
            # "what is the aim of the Kyoto cluster?": the sources give the programme's
            # purpose, no cluster's own.
            missing.append("aims")
        years = tuple(i.value for i in chart.of_kind(R.YEAR))
        # A budget for a year the sources have no figure for ("in 2008", "now"); "is MEXT
        # still funding clusters?" asks whether the programme runs, not for a figure.
        later = "still" in cues and not yes_no
        if "budget" in cues and (any(y not in self.budget_years for y in years) or later):
            missing.append("budget_year")
        page = next((i.value for i in chart.of_kind(R.PAGE)), None)
        amount = next((i.value for i in chart.of_kind(R.AMOUNT)), None)
        # "were there 30 clusters?": a count claimed, which the count checks.
        claimed = next((i.value for i in chart.of_kind(R.CLUSTER_COUNT)), None)
        rank = next((i.value for i in chart.of_kind(R.RANK)), None)
        field_count = next((i.value for i in chart.of_kind(R.FIELD_COUNT)), None)
        greeting = shape.greeting_only(text, intent_hits, field_hits, regions, STOPWORDS)
        return Query(
            text=text,
            act=Act.GREETING if greeting else Act.ASK,
            mode=_mode(text, cues, yes_no, noun_phrase),
            clusters=ClusterSet(
                names=regions,
                stage=stage,
                status=status,
                excluded_stages=_values(chart, R.EXCLUDED_STAGE),
                excluded_statuses=_values(chart, R.EXCLUDED_STATUS),
                excluded_names=left_out,
                # 「ライフサイエンス以外（ライフサイエンスを扱っていないもの）」: a field named
                # again where it is excluded is not asked for.
                fields=FieldConstraint(
                    tuple(f for f in fields if f not in excluded), mode, excluded, field_count
                ),
                regions=_outside_names(chart, K.GEO_REGION, in_names),
                prefectures=_outside_names(chart, K.PREFECTURE, in_names),
                described_by_fields=described,
            ),
            asked=Asked(
                cues=cues,
                details=details,
                missing=tuple(missing),
                share_of=share_whole(chart) if "share" in cues else None,
                superlative=rank,
                page_number=page,
                amount=amount,
                clusters_claimed=claimed if yes_no else None,
                plans_numbered=R.plans_numbered(text),
                contents_end=R.contents_end(text),
                the_only_one=R.claims_the_only_one(text),
                number_claimed=R.number_claimed(text),
                key_fields_claimed=next((i.value for i in chart.of_kind(R.KEY_FIELDS_COUNT)), None),
                sections=tuple(dict.fromkeys(h.payload for h in section_hits)),
                status=asks_status,
                programme_status=asks_programme_status,
            ),
            time=Time(When.NOW if "still" in cues or _says_now(lex, text) else When.THEN, years),
            programme=any(chart.of_kind(K.PROGRAMME)),
            organizations=organizations,
            programme_subject=programme_subject,
            stages=tuple(dict.fromkeys(t.value for t in chart.of_kind(R.STAGE_TERM))),
            statuses=tuple(dict.fromkeys(t.value for t in chart.of_kind(R.STATUS_TERM))),
            presupposes=_presuppositions(chart),
            unexplained=tuple(
                w
                for w in unexplained(chart)
                if not lex.is_typo_of_a_word(w.casefold())
                and not lex.in_phrases_of(w.casefold(), cues)
            ),
            noun_phrase=noun_phrase,
            off_topic="off_topic" in cues,
            status_word=bool(every_status) and yes_no,
            leftover=leftover,
        )

    def term(self, value: str | None, kind: str) -> str | None:
        """A stage or status option (its id or any of its words) as its id."""
        lex = self.lexicon
        if kind == K.STAGE:
            return lex.term(value, lex.stages, self.stage_ids)
        return lex.term(value, lex.statuses, self.status_ids)


def _mode(text: Text, cues: frozenset[str], yes_no: bool, noun_phrase: bool) -> Mode:
    if "count" in cues:
        return Mode.COUNT
    if yes_no:
        return Mode.YES_NO
    if "list" in cues and (shape.is_which_question(text) or noun_phrase):
        return Mode.LIST
    if text.tokens and text.tokens[0] in WH_WORDS:
        return Mode.WH
    return Mode.STATEMENT


def _offered_as_a_choice(chart: Chart, terms: list[Item]) -> bool:
    """ "1st or 2nd stage?", 「第1期か第2期か」: an "or" between two of the terms."""
    if len(terms) < 2:
        return False
    first = min(t.start for t in terms)
    last = max(t.end for t in terms)
    return any(first <= o.start and o.end <= last for o in chart.of_kind(K.OR))


def _names_left_out(chart: Chart, names: list[Item], lex: Lexicon) -> tuple[str, ...]:
    """The clusters of the names an exclusion word governs: "other than Hamamatsu",
    "except Sapporo and Sendai", 「浜松以外」 (the name right after the word in English,
    right before it in Japanese)."""
    excepts = [i for i in chart.of_kind(K.CUE) if i.value == "except"]
    if not excepts or not names:
        return ()
    text = chart.text
    governed: list[Item] = []
    for cue in excepts:
        _, cue_end, latin = chart.place(cue)
        if latin:
            position = cue_end
            run = sorted((n for n in names if n.start >= cue.end), key=lambda n: n.start)
            for name in run:
                first, end, _ = chart.place(name)
                if first - position > 1:  # "other than the Hamamatsu one": one word between
                    break
                governed.append(name)
                position = end
        else:
            governed += [n for n in names if 0 <= cue.start - n.end <= 1]
    if not governed:
        return ()
    words = []
    for name in governed:
        first, end, latin = chart.place(name)
        words.append(
            " ".join(text.tokens[first:end]) if latin else text.compact[name.start : name.end]
        )
    return lex.regions.resolve(Text.parse(" ".join(words))).cluster_ids


def _outside_names(chart: Chart, kind: str, in_names: bytearray) -> tuple[str, ...]:
    """Regions or prefectures of Japan (or organizations) named where no place or cluster
    is: "Kyoto" is the Kyoto cluster's place, "Kyushu" and "Okinawa" are areas, NOASTEC
    leads to its clusters but MEXT to no cluster."""
    return tuple(
        dict.fromkeys(i.value for i in chart.of_kind(kind) if not all(in_names[i.start : i.end]))
    )


def _values(chart: Chart, kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.value for i in chart.of_kind(kind)))


def _presuppositions(chart: Chart) -> tuple[Presupposition, ...]:
    """One presupposition per thing presupposed, however many times or ways it is named
    ("METI's industrial cluster project" names one other programme twice)."""
    named: dict[tuple[str, object], list[Item]] = {}
    for kind, items in (
        ("stage", chart.of_kind(R.UNKNOWN_STAGE)),
        ("programme", chart.of_kind(K.OTHER_PROGRAMME)),
    ):
        for item in items:
            named.setdefault((kind, item.value), []).append(item)
    return tuple(
        Presupposition(kind, _words_of(chart, items), ref) for (kind, ref), items in named.items()
    )


def _words_of(chart: Chart, items: list[Item]) -> str:
    """The words of items naming one thing: side by side they are one phrase, apart each
    is said."""
    spans: list[list[int]] = []
    for item in sorted(items, key=lambda i: (i.start, i.end)):
        if spans and item.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], item.end)
        else:
            spans.append([item.start, item.end])
    return " / ".join(dict.fromkeys(_words(chart, start, end) for start, end in spans))


def _words(chart: Chart, start: int, end: int) -> str:
    """The words of a span as typed: English words with the spaces and apostrophes between
    them ("METI's"), Japanese as written."""
    first, last = chart.token_range(start, end)
    text = chart.text
    if not text.tokens[first].isascii():
        return text.compact[start:end]
    words = text.cased_tokens[first:last]
    typed = re.search(r"[\W_]*".join(map(re.escape, words)), strip_diacritics(text.cleaned))
    return typed.group() if typed else " ".join(words)


def unexplained(chart: Chart) -> tuple[str, ...]:
    """The content words no item explains: English words, and Japanese runs of kanji or
    katakana (a run of hiragana left over is grammar: ありましたか, のは)."""
    covered = _covered(chart)
    words: list[str] = []
    text = chart.text
    for (start, end), token, cased in zip(
        chart.token_spans, text.tokens, text.cased_tokens, strict=True
    ):
        if token.isdigit():
            continue
        if token.isascii():
            if not any(covered[start:end]):
                words.append(cased)
            continue
        run = ""
        for offset in range(start, end + 1):
            inside = offset < end and not covered[offset]
            if inside:
                run += text.compact[offset]
                continue
            content = not _is_hiragana(run)
            # 斎藤さん: a person, named in passing.
            if run and content and not run.endswith(_HONORIFICS):
                words.append(run)
            run = ""
    return tuple(words)


def _covered(chart: Chart) -> bytearray:
    """The characters some item explains. A hiragana function word inside an unexplained
    Japanese word explains nothing: the し of 美味しい店 is part of the word, not grammar
    (の between two recognised items, 京都の分野, is)."""
    every = bytearray(chart.length)
    grammar = []
    for item in chart.items:
        every[item.start : item.end] = b"\x01" * (item.end - item.start)
        if item.kind == K.FUNCTION and _is_hiragana(chart.text.compact[item.start : item.end]):
            grammar.append(item)
    inside = [item for item in grammar if _inside_a_word(chart, item, every)]
    if not inside:
        return every
    covered = bytearray(chart.length)
    for item in chart.items:
        if not any(item is word for word in inside):
            covered[item.start : item.end] = b"\x01" * (item.end - item.start)
    return covered


def _inside_a_word(chart: Chart, item: Item, covered: bytearray) -> bool:
    """Unexplained characters of the item's token touch it on both sides, and a kanji or
    katakana among them (on either side, before anything explained) makes them a word."""
    first, end = chart.token_range(item.start, item.end)
    if end - first != 1:
        return False
    token_start, token_end = chart.token_spans[first]
    compact = chart.text.compact
    if not (token_start < item.start and item.end < token_end):
        return False
    if covered[item.start - 1] or covered[item.end]:
        return False
    left = item.start - 1
    while left > token_start and not covered[left - 1]:
        left -= 1
    right = item.end
    while right + 1 < token_end and not covered[right + 1]:
        right += 1
    return not _is_hiragana(compact[left : item.start] + compact[item.end : right + 1])


def _is_hiragana(text: str) -> bool:
    return all(_HIRAGANA[0] <= ch <= _HIRAGANA[1] for ch in text)


def _term_cover(chart: Chart, terms: list[Item]) -> bytearray:
    """The characters of stage and status terms, with the word just after each ("2nd
    stage": the "stage" after a term is part of its name)."""
    cover = bytearray(chart.length)
    for term in terms:
        _, end, latin = chart.place(term)
        if latin:
            last = min(end, len(chart.token_spans) - 1)
            stop = chart.token_spans[last][1]
        else:
            stop = min(term.end + 1, chart.length)
        cover[term.start : stop] = b"\x01" * (stop - term.start)
    return cover


def _inside(hit: PhraseHit, chart: Chart, cover: bytearray) -> bool:
    """A "stage" word that is part of a stage's name: inside it, or just after it."""
    if hit.payload != "stage":
        return False
    start, end = chart.latin_span(hit.start, hit.end) if hit.latin else (hit.start, hit.end)
    return all(cover[start:end])


def _inside_a_name(hit: PhraseHit, chart: Chart, in_names: bytearray) -> bool:
    start, end = chart.latin_span(hit.start, hit.end) if hit.latin else (hit.start, hit.end)
    return all(in_names[start:end])


def _earned_hit(hit: PhraseHit, chart: Chart, earned: list[Item]) -> bool:
    start, end = chart.latin_span(hit.start, hit.end) if hit.latin else (hit.start, hit.end)
    return any(item.start == start and item.end == end for item in earned)


def _is_field_it(text: Text, position: int) -> bool:
    if text.cased_tokens[position] == "IT" or len(text.tokens) == 1:
        return True
    # "what fields does it work on": the subject of an auxiliary is the pronoun.
    if position and text.tokens[position - 1] in _AUXILIARIES:
        return False
    following = text.tokens[position + 1] if position + 1 < len(text.tokens) else ""
    return following in _IT_CONTEXT


def _says_now(lex: Lexicon, text: Text) -> bool:
    """A "still" word inside a longer phrase ("still active" a status, "still running" a
    stage cue) asks about the present as much as one on its own. English words only:
    a Japanese 今 inside 今回 is no "now"."""
    return any(
        hit.latin and hit.payload == "still" for hit in lex.intents.find(text, longest_only=False)
    )


# Where a share's whole ends in Japanese: 「第1期のクラスターのうち実施中の割合」.
_JA_WITHIN = ("のうち", "の中で", "の中の", "中")
_WHOLE_KINDS = (K.FIELD, R.STAGE_TERM, R.STATUS_TERM)


def share_whole(chart: Chart) -> Whole | None:
    """The constraints naming the whole a share is of: in English those between the share
    word's "of"/"among" and the cluster noun after it ("percentage of the IT clusters that
    ended"), in Japanese those before のうち. None when the share is of every cluster."""
    shares = [i for i in chart.of_kind(K.CUE) if i.value == "share"]
    if not shares:
        return None
    cue = shares[0]
    text = chart.text
    _, cue_end, latin = chart.place(cue)
    if latin:
        tokens = text.tokens
        if cue_end >= len(tokens) or tokens[cue_end] not in ("of", "among"):
            return None
        nouns = [
            n
            for n in chart.of_kind(K.NOUN)
            if n.value == "cluster" and n.start >= cue.end and chart.place(n)[2]
        ]
        if not nouns:
            return None
        inside = [
            i
            for i in chart.of_kind(*_WHOLE_KINDS)
            if cue.end <= i.start and i.end <= nouns[0].start
        ]
    else:
        compact = text.compact
        ends = [compact.find(marker) for marker in _JA_WITHIN if marker in compact]
        if not ends:
            return None
        end = min(ends)
        inside = [i for i in chart.of_kind(*_WHOLE_KINDS) if i.end <= end]
    if not inside:
        return None
    fields = tuple(dict.fromkeys(i.value for i in inside if i.kind == K.FIELD))
    stage = next((i.value for i in inside if i.kind == R.STAGE_TERM), None)
    status = next((i.value for i in inside if i.kind == R.STATUS_TERM), None)
    return Whole(stage, status, fields)
