"""Every message id the code can emit, with the parameters it takes.

This is the contract between the code and the catalogues (`knowledge/messages/*.yaml`):
`check` fails when a catalogue lacks an id or a parameter declared here, or has one that
is not, so a wording can be changed by an editor and a missing translation is found before
it ships. Builders call a spec to make a message: `FIELDS_TITLE(clusters=refs)`.
"""

from __future__ import annotations

from bot.engine.registry import MessageSpec, message

# -- how names are written: `name` is the official name (English keeps it alone); `places`
# are the places it names (Japanese writes them in kanji: 北海道・札幌), and `kept_name` the
# name beside them where they alone would not name it faithfully (a single place's name
# for "KANSAI Science City" would read as the whole of Kansai): `name.cluster.kept` with
# the readable name there, empty elsewhere.
_NAME_PARAMS = ("name", "places", "kept_name")
NAME_CLUSTER = message("name.cluster", *_NAME_PARAMS, optional=_NAME_PARAMS)
# A cluster's name in readable case ("Hamamatsu" for HAMAMATSU): in lists and sentences,
# where the official capitals would shout ({cluster:readable} in a template).
NAME_CLUSTER_READABLE = message("name.cluster.readable", *_NAME_PARAMS, optional=_NAME_PARAMS)
NAME_CLUSTER_KEPT = message("name.cluster.kept", "name")
NAME_ORGANIZATION_FULL = message("name.organization_full", "name", "short")
NAME_TRANSLATED = message("ui.translated_from_english")

# -- shared pieces
TEXT = message("text", "text")  # verbatim text from the knowledge base
CLUSTER_HEADING = message("cluster.heading", "cluster", "stage", "status")
# A cluster among others of the same name: its stage and status tell it apart.
CLUSTER_HEADING_STAGE = message("cluster.heading.stage", "stage", "status")
CLUSTER_IN_TEXT = message("cluster.in_text", "cluster", "stage")  # "Sendai (First Stage)"
CLUSTER_TITLED = message("cluster.titled", "cluster", "stage")  # "HAMAMATSU (First Stage)"
STAGE_PHRASE = message("stage.phrase", "stage", "status")
STAGE_PHRASE_STARTED = message("stage.phrase.started", "stage", "year", "status")
AS_OF_EDITION = message("as_of.edition")  # "as of 2008": the edition's year
FIELDS_LINE = message("fields.line", "fields")  # short labels, where fields are one fact of many
FIELDS_NAMED = message("fields.named", "fields")  # full names, where they are what was asked
# The labels of a card's facts (one cluster at a glance)
CARD_STAGE = message("card.stage")
CARD_FIELDS = message("card.fields")
CARD_ORGANIZATION = message("card.organization")
CARD_PAGE = message("card.page")
CARD_PAGE_VALUE = message("card.page.value", "page")
CARD_ORGANIZATION_NONE = message("card.organization.none")
FAQ_QUESTION = message("faq.question", "entry")
FAQ_ANSWER = message("faq.answer", "entry")

# -- a region's fields
FIELDS_TITLE = message("fields.title", "clusters")
FIELD_INCLUDED = message("fields.verdict.included", "field")
FIELD_NOT_LISTED = message("fields.verdict.not_listed", "field")
# -- the key fields themselves (fields.yaml), each with how many clusters work in it
KEY_FIELDS_TITLE = message("fields.all.title")
KEY_FIELDS = message("fields.all", "count")
KEY_FIELDS_ITEM = message("fields.all.item", "field", "count")

# -- a region's contact
CONTACT_TITLE = message("contact.title", "clusters")
CONTACT_SUMMARY_SOME = message("contact.summary.some", "clusters")
# No cluster asked about has a contact in the sources: the title of the programme office's
# card that stands in, or a line of a reply stating a detail of the others.
CONTACT_NONE = message("contact.none", "clusters")
CONTACT_NO_ORGANIZATION = message("contact.none.organization", "clusters")
CONTACT_OFFICE = message("contact.office", "organization")  # the stand-in card's heading
# The programme office's detail, in place of the one asked ("Instead, …: TEL …").
CONTACT_OFFICE_INSTEAD = message("contact.office.instead", "organization", "contact")
# One contact detail asked, in one sentence: the reply's first line.
CONTACT_FACT = message("contact.fact", "detail", "clusters", "value", "organization")
CONTACT_FACT_ORGANIZATION = message("contact.fact.organization", "clusters", "organization")
CONTACT_FACT_MISSING = message("contact.fact.missing", "detail", "clusters", "organization")
ORG_FACT = message("organization.fact", "detail", "organization", "value")
CONTACT_ORG_OF = message("contact.organization_of", "clusters")
# A detail asked that no source gives ("the phone number of the Hamamatsu cluster").
CONTACT_DETAIL_MISSING = message("contact.detail.missing", "details", "organizations")
CONTACT_DETAILS = {
    detail: message(f"contact.detail.{detail}")
    for detail in ("tel", "fax", "address", "email", "organization")
}
ORG_NAME = message("organization.name", "organization")
ORG_CONTACT_TITLE = message("organization.contact.title", "organizations")
RUN_BY = message("programme.run_by", "programme", "organization")
ORG_OTHER_NAME = message("organization.other_name", "organization")
ORG_OFFICE = message("organization.office", "office")
ORG_ADDRESS = message("organization.address", "address")
ORG_TEL = message("organization.tel", "tel")
ORG_FAX = message("organization.fax", "fax")
ORG_TEL_FAX = message("organization.tel_fax", "tel", "fax")
ORG_NO_TEL = message("organization.no_tel")
ORG_NO_CONTACT = message("organization.no_contact")
ORG_NOTE = message("organization.note", "organization")
ORG_AS_OF = message("organization.as_of", "year")

# -- a region's stage
STAGE_TITLE = message("stage.title", "clusters")
STAGE_SUMMARY_ONE = message("stage.summary.one", "phrase")
# One cluster's fields said as a sentence where the language wants one (「…です。」).
FIELDS_SUMMARY_ONE = message("fields.summary.one", "line")
STAGE_STARTED = message("stage.started", "stage", "year")

# -- a region's page
PAGE_TITLE = message("page.title", "clusters")
PAGE_LINE = message("page.line", "page")
PAGE_LINE_NONE = message("page.line.none")
PAGE_SUMMARY_ONE = message("page.summary.one", "page")
PAGE_SUMMARY_ONE_NONE = message("page.summary.one.none", "cluster")
PAGE_SUMMARY_MANY_NONE = message("page.summary.many.none")

# -- a region's budget
BUDGET_TITLE = message("budget.title", "clusters")
BUDGET_SUMMARY = message("budget.summary", "clusters")
BUDGET_SET_TITLE = message("budget.set.title", "set")
BUDGET_SET_SUMMARY = message("budget.set.summary", "set")
CONTACT_SET_TITLE = message("contact.set.title", "set")
CONTACT_SET_SUMMARY = message("contact.set.summary")

# -- a region's overview
OVERVIEW_TITLE = message("overview.title", "clusters")
OVERVIEW_ORG_SHARED = message("overview.organization.shared", "organization")
OVERVIEW_ORG_NONE_ALL = message("overview.organization.none_all")
TOPICS_TITLE = message("topics.title", "clusters", "topics")  # several things asked of one
OVERVIEW_ORG = message("overview.organization", "organization")
OVERVIEW_ORG_NONE = message("overview.organization.none")
OVERVIEW_PAGE = message("overview.page", "page")

# -- notes on how the question was read
NOTE_READ_AS = message("note.read_as", "typed", "target")
NOTE_SHARED_PLACE = message("note.shared_place", "place", "count")
NOTE_NO_MATCH_STAGE = message("note.no_match.stage", "clusters", "stage")
NOTE_NO_MATCH_STATUS = message("note.no_match.status", "clusters", "status")
NOTE_NO_MATCH_BOTH = message("note.no_match.stage_status", "clusters", "stage", "status")

# -- follow-up questions: what a reply carried over from the previous one
NOTE_FOLLOWUP_CLUSTERS = message("note.followup.clusters", "clusters")
NOTE_FOLLOWUP_INTENT = message("note.followup.intent", "topic")
NOTE_FOLLOWUP_NARROWED = message("note.followup.narrowed", "previous")
NOTE_FOLLOWUP_PROGRAMME = message("note.followup.programme", "programme")
NOTE_FOLLOWUP_LANGUAGE = message("note.followup.language")
NOTE_LEFT_OUT = message("note.left_out", "clusters")
STAGES_COUNTED = message("stages.counted", "count", "stages")  # "2 stages: …"
NOTE_FOLLOWUP_COUNTED = message("note.followup.counted")
NOTE_FOLLOWUP_CHANGED = message("note.followup.changed", "previous")
NOTE_FOLLOWUP_CHOICE = message("note.followup.choice", "position", "target")

# -- what a question about a region asks (lower case in English: used inside sentences),
# and the next steps a reply offers (buttons, a menu of clusters)
TOPICS = {
    name: message(f"topic.{name}")
    for name in ("contact", "fields", "stage", "page", "budget", "location", "region")
}
STEP_TOPIC = message("step.topic", "topic")
STEP_MAP = message("step.map")
STEP_TARGET = message("step.target", "target")
STEP_CHOOSE = message("step.choose")
STEP_CONTACT_CARD = message("step.contact_card")  # the card a one-fact reply comes from

# -- listings: a set of clusters described by its filter, counted or empty. One message per
# combination of filters, so each language words the whole phrase in its own order.
FILTER_KINDS = ("stage", "status", "fields")


def _set_messages(prefix: str, counted: bool) -> dict[tuple[bool, bool, bool], MessageSpec]:
    specs = {}
    for mask in range(8):
        used = tuple(kind for bit, kind in enumerate(FILTER_KINDS) if mask >> bit & 1)
        key = (("stage" in used), ("status" in used), ("fields" in used))
        suffix = "_".join(used) or "all"
        specs[key] = message(f"{prefix}.{suffix}", *used, *(("count",) if counted else ()))
    return specs


CLUSTER_SET = _set_messages("set.counted", counted=True)
CLUSTER_SET_EMPTY = _set_messages("set.empty", counted=False)
LISTING_GROUP = message("listing.group", "stage", "status", "count")  # the map's legend
LISTING_ITEM = message("listing.item", "cluster", "fields")
# A listing's groups: named by what the question left open (stage, status or both).
LISTING_LABEL = {
    (True, True): message("listing.label.stage_status", "stage", "status"),
    (True, False): message("listing.label.stage", "stage"),
    (False, True): message("listing.label.status", "status"),
}
LISTING_GROUP_HEADING = message("listing.group.heading", "label", "count")
LISTING_LEAD = message("listing.lead", "count")
# A listing of one group: its count and what its clusters share (what the question left open).
LISTING_LEAD_GROUP = {
    (True, True): message("listing.lead.stage_status", "count", "stage", "status"),
    (True, False): message("listing.lead.stage", "count", "stage"),
    (False, True): message("listing.lead.status", "count", "status"),
}
BY_FIELD_TITLE = {
    (False, False): message("by_field.title", "fields"),
    (True, False): message("by_field.title.stage", "fields", "stage"),
    (False, True): message("by_field.title.status", "fields", "status"),
    (True, True): message("by_field.title.stage_status", "fields", "stage", "status"),
}
# "clusters not in life sciences": titled by the fields left out.
BY_FIELD_EXCLUDED_TITLE = {
    (False, False): message("by_field.title.not", "fields"),
    (True, False): message("by_field.title.not.stage", "fields", "stage"),
    (False, True): message("by_field.title.not.status", "fields", "status"),
    (True, True): message("by_field.title.not.stage_status", "fields", "stage", "status"),
}
BY_STAGE_TITLE = message("by_stage.title", "stage")
BY_STAGE_TITLE_STATUS = message("by_stage.title.status", "stage", "status")
BY_STAGE_TITLE_ALL = message("by_stage.title.all")
BY_AREA_TITLE = message("by_area.title", "areas")
BY_STAGE_TITLE_ALL_STATUS = message("by_stage.title.all_status", "status")
LISTING_EMPTY = message("listing.empty", "clusters")
LISTING_NONE = message("listing.none")
# "are any second stage clusters no longer active?": none, and what they are instead.
LISTING_NONE_STAGE_STATUSES = message("listing.none.stage_statuses", "stage", "count", "statuses")
# "which environment clusters were in the second stage?": none; the stages they are in.
LISTING_NONE_FIELD_STAGES = message(
    "listing.none.field_stages", "fields", "count", "clusters", "stages"
)
COUNT_TITLE = message("count.title", "clusters")
COUNT_GROUPS = message("count.groups", "groups")
COUNT_GROUP = message("count.group", "count", "label")
COUNT_NAMES = message("count.names", "clusters")  # the few clusters a count found
COUNT_NAMED = message("count.named", "cluster")
COUNT_NAMED_IN_GROUP = message("count.named.group", "cluster", "label")
COUNT_PREFECTURES_TITLE = message("count.prefectures.title", "count")
COUNT_PREFECTURES = message("count.prefectures", "prefectures")

# -- declines and clarifications
DECLINE_TITLE_CLARIFY = message("decline.title.clarify")
DECLINE_UNCLUSTERED = message("decline.unclustered", "places", "count", optional=("count",))
DECLINE_UNKNOWN_CLUSTER = message("decline.unknown_cluster", "typed")
DECLINE_DID_YOU_MEAN = message("decline.did_you_mean", "targets")
DECLINE_OUT_OF_DOMAIN = message("decline.out_of_domain", "count")
DECLINE_SEE_SUGGESTIONS = message("decline.see_suggestions")
# A listing limited to regions or prefectures of Japan ("which clusters are in Kyushu").
NOTE_IN_AREAS = message("note.in_areas", "areas")
# Words of the question nothing explained: not answered, the reading offered instead.
UNSURE_TITLE = message("unsure.title")
UNSURE_WORDS = message("unsure.words", "words")
UNSURE_READING = message("unsure.reading", "reading")
# An answer given though one word was not read: said, so the asker can tell.
NOTE_NOT_READ = message("note.not_read", "words")
# A question asking for clusters that only a text about the programme matched.
UNSURE_KIND = message("unsure.kind", "reading")
EMPTY_TITLE = message("empty.title")
EMPTY_SUMMARY = message("empty.summary")
UNKNOWN_REGION_TITLE = message("option.unknown_region.title")
UNKNOWN_REGION = message("option.unknown_region", "typed", "places")
UNKNOWN_OPTION_TITLE = message("option.unknown.title")
UNKNOWN_STAGE = message("option.unknown_stage", "value", "choices")
UNKNOWN_STATUS = message("option.unknown_status", "value", "choices")
UNKNOWN_FIELD_TITLE = message("option.unknown_field.title")
UNKNOWN_FIELD = message("option.unknown_field", "fields")

# -- about and help
ABOUT_TITLE = message("about.title")
ABOUT_SUMMARY = message("about.summary", "clusters", "stages", "fields")
HELP_TITLE = message("help.title")
HELP_SUMMARY = message("help.summary", "clusters", "topics")
HELP_COMMANDS_HEADING = message("help.commands.heading")
HELP_COMMANDS = tuple(
    message(f"help.command.{name}")
    for name in ("ask", "region", "contact", "stage", "field", "map", "about", "help")
)
# An example question (programme.yaml's examples), asked when its button is clicked.
EXAMPLE = message("example", "example")

# -- autocomplete
CHOICE_PLACE = message("choice.place", "place", "count")
CHOICE_FIELD = message("choice.field", "field")
CHOICE_STAGE = message("choice.stage", "stage", "year")  # "First Stage (from 2002)"
CHOICE_TERM = message("choice.term", "term")  # a status, or a stage with no start year

# -- where a region's clusters are
LOCATION_TITLE = message("location.title", "clusters")
LOCATION_SUMMARY_ONE = message("location.summary.one", "cluster", "places", "region")
LOCATION_SUMMARY_REGIONS = message("location.summary.regions", "cluster", "places", "regions")
LOCATION_PLACE_POINT = message("location.place.point", "place", "prefecture")
LOCATION_PLACE_PREFECTURE = message("location.place.prefecture", "prefecture")
LOCATION_PLACE_REGION = message("location.place.region", "place")
LOCATION_LINE_POINT = message("location.line.point", "place", "prefecture", "region")
LOCATION_LINE_PREFECTURE = message("location.line.prefecture", "place", "prefecture", "region")
LOCATION_LINE_REGION = message("location.line.region", "place", "region")
AS_OF_LOCATION = message("as_of.location", "data")

# -- the map (bot/maps): the picture's words, and the answer sent with it
MAP_TITLE = message("map.title")
MAP_ATTRIBUTION = message("map.attribution")
MAP_ANSWER_TITLE = message("map.answer.title")
MAP_ANSWER_SUMMARY = message("map.answer.summary", "clusters")
# The clusters by stage and status on one line under the count (the map's legend in words).
MAP_ANSWER_GROUPS = message("map.answer.groups", "groups")
MAP_LABEL = message("map.label", "places")  # a label naming one or a few nearby places
# The picture's subtitle when it shows a few clusters by name rather than a filter's.
MAP_SUBTITLE_CLUSTERS = message("map.subtitle.clusters", "clusters")

# -- how a question was read: the filters applied, always stated (issue 9)
NOTE_ONLY_STAGE = message("note.only.stage", "stage")
NOTE_ONLY_STATUS = message("note.only.status", "status")
NOTE_ONLY_STAGE_STATUS = message("note.only.stage_status", "stage", "status")
NOTE_FIELDS_ALL = message("note.fields.all", "fields")
NOTE_FIELDS_ONLY = message("note.fields.only", "fields")
NOTE_FIELDS_NOT = message("note.fields.not", "fields")
NOTE_STAGES_NOT = message("note.stages.not", "stages")
NOTE_STATUSES_NOT = message("note.statuses.not", "statuses")
NOTE_FIELD_COUNT = message("note.fields.count", "count")
NOTE_WITHIN = message("note.within", "place", "within")
NOTE_BUDGET_FIGURES = message("note.budget_figures")
DATED = message("dated", "item", "year")
AS_OF_YEAR = message("as_of.year", "year")

# -- facts the sources do not give, asked about a place
MISSING_FACTS = (
    "director",
    "members",
    "results",
    "website",
    "staff",
    "budget_year",
    "reason",
    "aims",
)
# a fact the sources lack, as a follow-up carries it to another place ("what about Kobe?")
MISSING_TOPICS = {name: message(f"topic.missing.{name}") for name in MISSING_FACTS}
MISSING_TITLE = message("missing.title", "clusters")
MISSING = {fact: message(f"missing.{fact}", "clusters") for fact in MISSING_FACTS}
MISSING_BUDGET_PROGRAMME = message("missing.budget_year.programme")
MISSING_BUDGET_TOTAL = message("missing.budget_total.programme", "programme")
MISSING_KNOWN = message("missing.known")
SUGGEST = {
    kind: message(f"suggest.{kind}", "name") for kind in ("fields", "contact", "page", "stage")
}

# -- greetings and questions off the topic
GREETING_TITLE = message("greeting.title")
GREETING_SUMMARY = message("greeting.summary")
DECLINE_OFF_TOPIC = message("decline.off_topic")

# -- the 2008 edition's contents list
CONTENTS_PAGE_TITLE = message("contents.page.title", "page")
CONTENTS_PAGE = message("contents.page", "page", "items")
CONTENTS_PAGE_NONE = message("contents.page.none", "page", "pages")
CONTENTS_SECTION_PAGE = message("contents.section.page", "section", "page")
CONTENTS_SECTION_NO_PAGE = message("contents.section.no_page", "section")
CONTENTS_TITLE_ONLY = message("contents.title_only")
CONTENTS_STAGE_CLUSTERS = message("contents.stage_clusters", "stage")
CONTENTS_PAGES_TITLE = message("contents.pages.title")
CONTENTS_PAGES_SUMMARY = message("contents.pages.summary", "count")
CONTENTS_PAGE_ITEM = message("contents.page_item", "cluster", "page")
CONTENTS_TABLE_TITLE = message("contents.table.title")
CONTENTS_TABLE_SUMMARY = message("contents.table.summary", "count")
CONTENTS_ENTRY = message("contents.entry", "section")
CONTENTS_ENTRY_PAGE = message("contents.entry.page", "section", "page")

# -- superlatives: what has the most (or fewest) of what
RANKED_KINDS = ("clusters", "fields", "stages", "places")
RANK_TITLE = {
    (kind, way): message(f"rank.{kind}.{way}.title")
    for kind in RANKED_KINDS
    for way in ("most", "fewest")
}
RANK_SUMMARY = {
    (kind, way): message(f"rank.{kind}.{way}.summary", "winners", "count")
    for kind in RANKED_KINDS
    for way in ("most", "fewest")
}
RANK_LINE = message("rank.line", "item", "count")
RANK_WINNERS = message("rank.winners", "winners")
RANK_CLUSTERS_TIED = message("rank.clusters.tied", "number", "count")

# -- several questions in one message
SEVERAL_TITLE = message("several.title", "titles")  # several things named, each by its title
SEVERAL_ANSWERS_TITLE = message("several.answers.title", "count")  # one block per question
SEVERAL_QUESTION = message("several.question", "question")  # a question as asked, quoted
SEVERAL_LINE = message("several.line", "heading", "lines")  # a card of one answer, on one line

# -- the programme itself (programme.yaml): what became of it, its start, names, figures
NOTE_NOW = message("note.now", "year", "programme", "successor")
PROGRAMME_FATE_TITLE = message("programme.fate.title", "programme")
PROGRAMME_FATE = message("programme.fate", "year", "programme", "successor")
PROGRAMME_SOURCES_BEFORE = message("programme.sources_before")
PROGRAMME_STARTED_TITLE = message("programme.started.title", "programme")
PROGRAMME_STARTED = message("programme.started", "year", "programme")
PROGRAMME_OVERVIEW_TITLE = message("programme.overview.title", "programme")
PROGRAMME_OVERVIEW = message("programme.overview", "english", "japanese", "organization", "year")
PROGRAMME_NAMES_TITLE = message("programme.names.title")
PROGRAMME_NAMES = message("programme.names", "english", "japanese")
FIGURE_BUDGET_TITLE = message("figure.budget.title", "programme")
FIGURE_BUDGET = message("figure.budget", "year", "amount")
FIGURE_BUDGET_MISSING = message("figure.budget.missing", "years", "given")
FIGURE_PER_REGION_TITLE = message("figure.per_region.title")
FIGURE_PER_REGION = message("figure.per_region", "amount", "years")
FIGURE_PER_REGION_ROUGHLY = message("figure.per_region.roughly", "amount", "years")
FIGURE_PER_REGION_YEARLY = message("figure.per_region.yearly", "amount")
DERIVED_TOTAL = message("derived.total", "amount", "years", "total")
DERIVED_TOTAL_ROUGHLY = message("derived.total.roughly", "amount", "years", "total")
DERIVED_SUM = message("derived.sum", "first_year", "second_year", "first", "second", "total")
DERIVED_TIMES = message("derived.times", "clusters", "count", "amount", "total")
DERIVED_SPLIT = message("derived.split", "year", "budget", "clusters", "count", "share")
DERIVED_MEAN = message("derived.mean", "first_year", "second_year", "first", "second", "mean")
DERIVED_CHANGE = message(
    "derived.change", "old_year", "new_year", "difference", "percent", "direction"
)
DIRECTION_UP = message("direction.up")
DIRECTION_DOWN = message("direction.down")
STAGE_END_MISSING = message("stage.end.missing", "stage")
# "when did the Kyoto cluster end?": no cluster's end date is in the sources; its status is.
CLUSTER_END_MISSING = message("cluster.end.missing", "clusters")
MISSING_PROGRAMME_TITLE = message("missing.programme.title", "programme")
MISSING_PROGRAMME = {
    fact: message(f"missing.programme.{fact}", "programme")
    for fact in ("director", "members", "results", "website", "staff", "reason")
}
# -- what a question takes for granted that the sources do not have, and claims to confirm
PREMISE_TITLE = message("premise.title")
PREMISE_NO_STAGE = message("premise.no_stage", "number", "stages", "count")
PREMISE_OTHER_PROGRAMME = message("premise.other_programme", "other", "programme")
PREMISE_NO_CLUSTER_IN = message("premise.no_cluster_in", "areas")
SUGGEST_STAGE = message("suggest.stage_list", "stage")
CLAIM_YES = message("claim.yes")
CLAIM_NO = message("claim.no")
CLAIM_NO_OTHER_DETAIL = message("claim.no.other_detail", "number", "detail")
# "is it still running?": yes as of the sources, which is not yes today.
CLAIM_YES_THEN = message("claim.yes.then")
CLUSTERS_DISTINCT = message("clusters.distinct", "count")
COUNT_GROUP_SPLIT = message("count.group.split", "label", "count", "parts")
# "which cluster is listed first under the second stage?", "last entry in the contents?"
CONTENTS_POSITION_CLUSTER = {
    end: message(f"contents.position.cluster.{end}", "clusters", "cluster")
    for end in ("first", "last")
}
CONTENTS_POSITION_ANY_CLUSTER = {
    end: message(f"contents.position.any_cluster.{end}", "cluster") for end in ("first", "last")
}
CONTENTS_POSITION_SECTION = {
    end: message(f"contents.position.section.{end}", "section") for end in ("first", "last")
}
PREMISE_KEY_FIELDS = message("premise.key_fields", "count", "claimed")
# "the Tokushima nanotech cluster": fields said of a named cluster that it does not list.
PREMISE_FIELDS_NOT_LISTED = message("premise.fields_not_listed", "clusters", "fields", "listed")
CLAIM_ONLY = message("claim.only", "clusters")
CONTENTS_PAGE_NOT_LISTED_TITLE = message("contents.page.not_listed.title")
CONTENTS_PAGE_NOT_LISTED = message("contents.page.not_listed")
CONTENTS_SUGGEST = message("contents.suggest")
# The sources' own sentences, quoted when no FAQ entry fits
PASSAGES_TITLE = message("passages.title")
QUOTE = message("quote", "text")

# -- arithmetic over what the sources give, the working shown
DERIVED_SHARE_TITLE = message("derived.share.title", "clusters")
DERIVED_SHARE = message("derived.share", "count", "total", "percent", "whole")
DERIVED_SHARE_ALL = message("derived.share.all", "total")
DERIVED_DIFFERENCE_TITLE = message("derived.difference.title", "first", "second")
DERIVED_DIFFERENCE = message(
    "derived.difference",
    "first",
    "first_count",
    "second",
    "second_count",
    "difference",
    "more",
    "larger",
    "smaller",
)
DERIVED_STAGES_TITLE = message("derived.stages.title", "first", "second")
DERIVED_YEARS_BETWEEN = message("derived.years_between", "first", "second", "years")
DERIVED_SPAN = message("derived.span", "start", "end", "years")
DERIVED_AVERAGE_TITLE = message("derived.average.title", "clusters")
DERIVED_AVERAGE = message("derived.average", "clusters", "total", "count", "average")
DERIVED_QUOTIENT = message("derived.quotient", "year", "budget", "amount", "count")
