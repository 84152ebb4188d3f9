"""The shipped knowledge base says what its sources say: facts pinned to the seed documents.

The cross-checks against the sources read ../shared/seeds/*.txt and ../shared/sources/
supplement.md when they are present beside the repository, and are skipped otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge
from bot.kb.model import Cluster, KnowledgeBase
from bot.kb.paths import shipped_knowledge_dir

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
SUPPLEMENT = SHARED / "sources" / "supplement.md"
PHONE = re.compile(r"\b0\d{1,4}-\d{2,4}-\d{4}\b")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(shipped_knowledge_dir())


def seed_texts() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not available ({SEEDS} is absent)")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def supplement_text() -> str:
    if not SUPPLEMENT.is_file():
        pytest.skip(f"the supplement is not available ({SUPPLEMENT} is absent)")
    return SUPPLEMENT.read_text(encoding="utf-8")


def contents_sections() -> dict[tuple[str, str], list[str]]:
    """The cluster lines of the 2008 edition's contents, by (stage, status) section."""
    headings = {
        "Knowledge Clusters: The Second Stage (Active)": ("second", "active"),
        "Knowledge Clusters: The First Stage (Active)": ("first", "active"),
        "Knowledge Clusters: The First Stage (Ended)": ("first", "ended"),
    }
    contents = next(
        (t for t in seed_texts().values() if headings.keys() <= set(t.splitlines())), None
    )
    assert contents is not None, "no seed holds the contents of the 2008 edition"
    sections: dict[tuple[str, str], list[str]] = {}
    current = None
    for line in contents.splitlines():
        line = line.strip()
        if line in headings:
            current = sections.setdefault(headings[line], [])
        elif line.startswith("Contact Information"):
            break
        elif current is not None and line:
            current.append(line)
    return sections


def by_name(kb: KnowledgeBase, name: str) -> list[Cluster]:
    return [cluster for cluster in kb.clusters if cluster.name == name]


# --- the clusters ---------------------------------------------------------------------------


def test_there_are_24_clusters(kb):
    """The contents of the 2008 edition list 24 clusters."""
    assert len(kb.clusters) == 24


def test_clusters_per_stage_and_status(kb):
    """6 second-stage (active), 7 first-stage active and 11 first-stage ended clusters."""
    counts = Counter((cluster.stage, cluster.status) for cluster in kb.clusters)
    assert counts == {("second", "active"): 6, ("first", "active"): 7, ("first", "ended"): 11}


def test_hamamatsu_has_two_entries(kb):
    """HAMAMATSU is listed twice: once in the second stage, once in the first (ended)."""
    entries = {(c.stage, c.status) for c in by_name(kb, "HAMAMATSU")}
    assert entries == {("second", "active"), ("first", "ended")}


def test_hamamatsu_second_stage_fields_in_printed_order(kb):
    """Second-stage HAMAMATSU: IT, Nanotech/Materials, Life Sciences, in that order."""
    (second,) = [c for c in by_name(kb, "HAMAMATSU") if c.stage == "second"]
    assert second.fields == ("it", "nanotech-materials", "life-sciences")


def test_hamamatsu_first_stage_fields_in_printed_order(kb):
    """First-stage HAMAMATSU: IT, Life Sciences, in that order."""
    (first,) = [c for c in by_name(kb, "HAMAMATSU") if c.stage == "first"]
    assert first.fields == ("it", "life-sciences")


def test_pages_are_those_the_contents_print(kb):
    """Only six clusters have a page in the contents, and those pages are kept."""
    pages = {cluster.name: cluster.page for cluster in kb.clusters if cluster.page is not None}
    assert pages == {
        "GIFU/OGAKI": 24,
        "UBE": 30,
        "TOKUSHIMA": 32,
        "KOBE": 46,
        "HIROSHIMA": 48,
        "KITAKYUSHU Science and Research Park": 54,
    }


@pytest.mark.parametrize(
    "place",
    [
        "hamamatsu",
        "sendai",
        "sapporo",
        "nagano",
        "kobe",
        "fukuoka",
        "kitakyushu",
        "kansai",
        "saito",
    ],
)
def test_shared_place_heads_two_or_more_clusters(kb, place):
    """Each place named by more than one cluster is listed by at least two clusters."""
    assert sum(place in cluster.places for cluster in kb.clusters) >= 2


def test_stages_faq_agrees_with_the_cluster_counts(kb):
    """The stages FAQ quotes the same 6 / 7 / 11 split as the cluster list."""
    (stages,) = [entry for entry in kb.faq if entry.id == "stages"]
    assert "6 Second Stage clusters" in stages.answer
    assert "7 First Stage clusters still active" in stages.answer
    assert "11 First Stage clusters that had ended" in stages.answer


# --- organizations and contacts ---------------------------------------------------------------


def test_noastec_contact(kb):
    """NOASTEC: TEL 011-708-6525, FAX 011-708-6529, KORABO Hokkaido address (2004 overview)."""
    noastec = kb.organizations["noastec"]
    assert noastec.short_name == "NOASTEC"
    assert noastec.tel == "011-708-6525"
    assert noastec.fax == "011-708-6529"
    assert noastec.address == (
        "KORABO Hokkaido., 12 Kita 21 Jonishi, Kita-ku, Sapporo-shi, Hokkaido 001-0021 JAPAN"
    )


def test_sendai_office_contact(kb):
    """The Sendai cluster office: TEL 022-346-9237, FAX 022-346-9238, Aoba-ku address."""
    office = kb.organizations["icr"]
    assert office.tel == "022-346-9237"
    assert office.fax == "022-346-9238"
    assert office.address == "7F, 1-3-1, Chuo, Aoba-ku, Sendai 980-6107 JAPAN"


def test_sendai_office_belongs_to_the_second_stage_cluster(kb):
    """The Sendai office is the core organization of Greater SENDAI Area (second stage)."""
    (greater_sendai,) = by_name(kb, "Greater SENDAI Area")
    assert kb.organization_of(greater_sendai) == kb.organizations["icr"]


def test_noastec_is_hokkaidos_core_organization(kb):
    """NOASTEC is the core organization of the HOKKAIDO Area cluster."""
    (hokkaido,) = by_name(kb, "HOKKAIDO Area (with Sapporo as the core)")
    assert kb.organization_of(hokkaido) == kb.organizations["noastec"]


def test_programme_office_is_mext_with_its_extension(kb):
    """The programme office is MEXT's, telephone 03-5253-4111 extension 3892 (2010)."""
    office = kb.organizations[kb.programme_office]
    assert office.tel is not None
    assert office.tel.startswith("03-5253-4111")
    assert "3892" in office.tel
    assert kb.documents[office.contact_source.doc].as_of == "2010"


def test_budget_faq_quotes_the_2004_overview(kb):
    """Budget: 9 billion yen (2004), 6.9 billion (2003), 500 million a region a year, 5 years."""
    (budget,) = [entry for entry in kb.faq if entry.id == "budget"]
    for figure in (
        "2004: 9 billion yen",
        "2003 budget: 6.9 billion yen",
        "500 million yen per year for each region",
        "five years",
    ):
        assert figure in budget.answer
    assert {ref.doc for ref in budget.sources} == {"kci-2004-overview"}


# --- the FAQ --------------------------------------------------------------------------------


def test_every_faq_entry_has_three_alternates(kb):
    """Every FAQ entry can be reached by at least three other phrasings."""
    short = [entry.id for entry in kb.faq if len(entry.alternates) < 3]
    assert not short


def test_most_faq_entries_have_a_japanese_alternate(kb):
    """At least four FAQ entries in five can be asked in Japanese."""
    with_japanese = [e for e in kb.faq if any(JAPANESE.search(a) for a in e.alternates)]
    assert len(with_japanese) >= 0.8 * len(kb.faq)


# --- sources --------------------------------------------------------------------------------


def test_every_fact_cites_a_known_document(kb):
    """Clusters, links, organizations, FAQ answers and the fields all cite known documents."""
    refs = [("fields", kb.fields_source)]
    for cluster in kb.clusters:
        refs.append((cluster.id, cluster.source))
        if cluster.organization is not None:
            refs.append((f"{cluster.id} organization", cluster.organization.source))
    for organization in kb.organizations.values():
        assert organization.sources, organization.id
        refs += [(organization.id, ref) for ref in organization.sources]
    for entry in kb.faq:
        assert entry.sources, entry.id
        refs += [(entry.id, ref) for ref in entry.sources]
    unknown = [name for name, ref in refs if ref is None or ref.doc not in kb.documents]
    assert not unknown


def test_every_document_says_where_it_is(kb):
    """Each cited document has an address or a note naming the seed file."""
    assert all(doc.url or doc.note for doc in kb.documents.values())


def test_phone_numbers_appear_verbatim_in_the_sources(kb):
    """Every telephone or fax number in the knowledge base is copied from a source."""
    sources = "\n".join([*seed_texts().values(), supplement_text()])
    texts = [
        value
        for organization in kb.organizations.values()
        for value in (organization.tel, organization.fax, organization.address, organization.note)
        if value
    ]
    texts += [entry.answer for entry in kb.faq]
    numbers = {number for text in texts for number in PHONE.findall(text)}
    assert len(numbers) >= 5  # NOASTEC's two, Sendai's two, MEXT's
    assert sorted(n for n in numbers if n not in sources) == []


def test_every_cluster_name_appears_in_the_seed_contents(kb):
    """Every cluster's name is printed in the contents of the 2008 edition."""
    lines = [line for section in contents_sections().values() for line in section]
    missing = [c.name for c in kb.clusters if not any(line.startswith(c.name) for line in lines)]
    assert not missing


def test_every_cluster_matches_its_line_in_the_seed_contents(kb):
    """Name, fields in printed order, section (stage/status) and page agree with the contents."""
    sections = contents_sections()
    short_names = {field.id: field.name.split(" (")[0] for field in kb.fields.values()}
    mismatches = []
    for cluster in kb.clusters:
        fields = ", ".join(short_names[field] for field in cluster.fields)
        printed = f"{cluster.name} ({fields})"
        lines = [
            line
            for line in sections.get((cluster.stage, cluster.status), [])
            if line == printed or line.startswith((printed + " ", printed + "."))
        ]
        if len(lines) != 1:
            mismatches.append(f"{cluster.id}: no line {printed!r} in its section")
            continue
        page = re.search(r"(\d+)$", lines[0][len(printed) :])
        if (int(page.group(1)) if page else None) != cluster.page:
            mismatches.append(f"{cluster.id}: page {cluster.page} but contents say {lines[0]!r}")
    assert not mismatches, "\n".join(mismatches)


def test_contents_sections_hold_exactly_the_shipped_clusters(kb):
    """The contents list as many clusters per section as the knowledge base holds."""
    counts = {key: len(lines) for key, lines in contents_sections().items()}
    shipped = Counter((cluster.stage, cluster.status) for cluster in kb.clusters)
    assert counts == dict(shipped)
