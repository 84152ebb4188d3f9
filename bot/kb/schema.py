"""The schema of each knowledge-base file: its top-level keys and the keys of its entries.

Adding a key to an entry is one line here (and a field in `model`, and its construction in
`build`); the readers in `nodes` report wrong types, unknown and missing keys by themselves.
"""

from __future__ import annotations

import re

from bot.kb.files import (  # noqa: F401 (the schema's files, named where they are read)
    CLUSTERS_FILE,
    FAQ_FILE,
    FIELDS_FILE,
    FILES,
    GEOGRAPHY_FILE,
    INTENTS_FILE,
    LEXICON_FILE,
    ORGANIZATIONS_FILE,
    PASSAGES_FILE,
    PROGRAMME_FILE,
    SOURCES_FILE,
)
from bot.kb.nodes import (
    INTEGER,
    SOURCE,
    SOURCES,
    Context,
    Key,
    retired_key,
    text_key,
    texts_key,
)

MIN_ALTERNATES = 3
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
URL = re.compile(r"https?://\S+")

DOCUMENT_KEYS = {
    "id": text_key(),
    "title": text_key(),
    "url": text_key(required=False),
    "note": text_key(required=False),
    "as_of": text_key(required=False),
    # How a reply's one-line source note names it ("2008 edition"); the title otherwise.
    "short": text_key(required=False),
    "short_ja": text_key(required=False),
}
ORGANIZATION_KEYS = {
    "id": text_key(),
    "name": text_key(),
    "name_ja": text_key(required=False),
    "short_name": text_key(required=False),
    "office": text_key(required=False),
    "address": text_key(required=False),
    "tel": text_key(required=False),
    "fax": text_key(required=False),
    # The document (one of `sources`) the contact details come from: it dates them.
    "contact_source": text_key(required=False),
    "note": text_key(required=False),
    "note_ja": text_key(required=False),
    "aliases": texts_key(required=False),
    "sources": SOURCES,
    "as_of": retired_key(
        "an organization is not dated itself: its contact details are dated by the document "
        "they come from (name it in contact_source, and give that document an as_of in "
        "sources.yaml); remove as_of"
    ),
}
# What an organization's contact details are: they need a `contact_source`.
CONTACT_KEYS = ("office", "address", "tel", "fax")
TERM_KEYS = {
    "id": text_key(),
    "name": text_key(),
    "name_ja": text_key(),
    "started": INTEGER,
    "synonyms": texts_key(),
    "contextual": texts_key(required=False),
    "source": Key(Context.source, required=False),
    # A stage's colour for each status on the map ({active: "#C8283E", ...}).
    "colours": Key(Context.colours, required=False),
}
PLACE_KEYS = {
    "id": text_key(),
    "name": text_key(),
    "name_ja": text_key(required=False),
    "aliases": texts_key(required=False),
    "within": Key(Context.place_link, required=False),
}
CLUSTER_KEYS = {
    "id": text_key(),
    "name": text_key(),
    "stage": text_key(),
    "status": text_key(),
    "fields": texts_key(minimum=1, ids=True),
    "places": texts_key(minimum=1, ids=True),
    "aliases": texts_key(required=False),
    "page": INTEGER,
    "organization": Key(Context.organization_link, required=False),
    "source": SOURCE,
}
FIELD_KEYS = {
    "id": text_key(),
    "name": text_key(),
    "name_ja": text_key(),
    "emoji": text_key(),
    "colour": text_key(),
    "synonyms": texts_key(),
    # The label lists use ("IT" for "IT (Information Technology)"); the name otherwise.
    "short": text_key(required=False),
    "short_ja": text_key(required=False),
}
CONTENTS_KEYS = {
    "id": text_key(),
    "title": text_key(),
    "title_ja": text_key(required=False),
    "page": INTEGER,
    "faq": text_key(required=False),
    "stage": text_key(required=False),
    "status": text_key(required=False),
    "aliases": texts_key(required=False),
}
FAQ_KEYS = {
    "id": text_key(),
    "topic": text_key(),
    "question": text_key(),
    "question_ja": text_key(required=False),
    "alternates": texts_key(minimum=MIN_ALTERNATES),
    "keywords": texts_key(required=False),
    "answer": text_key(),
    "answer_ja": text_key(required=False),
    "roles": texts_key(required=False, ids=True),
    "sources": SOURCES,
}
# What an entry may do besides answering its questions (faq.yaml's `roles`):
#   about   /about shows it (the entries with this role, in file order)
#   budget  the programme's money: a reply with it says its figures are all the sources
#           give, and a cluster's budget is answered with it as the programme's
#   dated   it describes the programme as of the edition: the reply is dated by it
#   each_run_by  who runs each cluster: "who implemented the projects in each region?" asks
#           it, not who runs the programme
FAQ_ROLES = ("about", "budget", "dated", "each_run_by")

# Top-level keys of each file; the value readers are applied by `loader`.
TOP_KEYS: dict[str, dict[str, bool]] = {
    SOURCES_FILE: {"documents": True, "contents_source": False, "contents": False},
    ORGANIZATIONS_FILE: {"programme_office": False, "organizations": True},
    CLUSTERS_FILE: {"stages": True, "statuses": True, "places": True, "clusters": True},
    FIELDS_FILE: {"source": True, "fields": True},
    FAQ_FILE: {"faq": True},
    INTENTS_FILE: {"intents": True, "shared_phrases": False},
    PASSAGES_FILE: {"passages": True},
    PROGRAMME_FILE: {
        "name": True,
        "name_ja": True,
        "names_source": False,
        "run_by": False,
        "edition": False,
        "started": False,
        "successor": False,
        "figures": False,
        "examples": False,
    },
    LEXICON_FILE: {
        "function": True,
        "nouns": True,
        "connectives": True,
        "negation": True,
        "programme": True,
        "other_programmes": False,
    },
    GEOGRAPHY_FILE: {
        "source": True,
        "as_of": True,
        "regions": True,
        "prefectures": True,
        "places": True,
    },
}


PASSAGE_KEYS = {"doc": text_key(), "where": text_key(), "text": text_key()}
