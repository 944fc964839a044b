"""Region tags from CLDR (through Babel): names in English and Arabic, nested by UN M.49 containment."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from qirtas.archive.models import Tag, uses_archive
from qirtas.i18n.normalize import normalize

WORLD = "001"

# UN M.49: code → the region that contains it. Countries and areas by ISO 3166 alpha-2 (as CLDR names
# them), regions by M.49 number. Every country or area CLDR names has a place here (a test checks it).
# CLDR's extra areas follow CLDR's own containment: Ceuta & Melilla and the Canary Islands in Northern
# Africa, Kosovo in Southern Europe, Sark with the Channel Islands, Ascension and Tristan da Cunha with
# St Helena, Diego Garcia with the British Indian Ocean Territory. Antarctica sits directly under World.
M49_PARENT: dict[str, str] = {
    # World › continents
    "002": "001", "019": "001", "142": "001", "150": "001", "009": "001", "AQ": "001",
    # Africa
    "015": "002", "202": "002",
    "011": "202", "014": "202", "017": "202", "018": "202",
    # Americas
    "419": "019", "021": "019",
    "029": "419", "013": "419", "005": "419",
    # Asia
    "143": "142", "030": "142", "035": "142", "034": "142", "145": "142",
    # Europe
    "151": "150", "154": "150", "039": "150", "155": "150",
    # Oceania
    "053": "009", "054": "009", "057": "009", "061": "009",
    # Northern Africa
    "DZ": "015", "EG": "015", "LY": "015", "MA": "015", "SD": "015", "TN": "015", "EH": "015",
    "EA": "015", "IC": "015",
    # Eastern Africa
    "IO": "014", "BI": "014", "KM": "014", "DJ": "014", "ER": "014", "ET": "014", "TF": "014",
    "KE": "014", "MG": "014", "MW": "014", "MU": "014", "YT": "014", "MZ": "014", "RE": "014",
    "RW": "014", "SC": "014", "SO": "014", "SS": "014", "UG": "014", "TZ": "014", "ZM": "014",
    "ZW": "014", "DG": "014",
    # Middle Africa
    "AO": "017", "CM": "017", "CF": "017", "TD": "017", "CG": "017", "CD": "017", "GQ": "017",
    "GA": "017", "ST": "017",
    # Southern Africa
    "BW": "018", "SZ": "018", "LS": "018", "NA": "018", "ZA": "018",
    # Western Africa
    "BJ": "011", "BF": "011", "CV": "011", "CI": "011", "GM": "011", "GH": "011", "GN": "011",
    "GW": "011", "LR": "011", "ML": "011", "MR": "011", "NE": "011", "NG": "011", "SH": "011",
    "SN": "011", "SL": "011", "TG": "011", "AC": "011", "TA": "011",
    # Caribbean
    "AI": "029", "AG": "029", "AW": "029", "BS": "029", "BB": "029", "BQ": "029", "VG": "029",
    "KY": "029", "CU": "029", "CW": "029", "DM": "029", "DO": "029", "GD": "029", "GP": "029",
    "HT": "029", "JM": "029", "MQ": "029", "MS": "029", "PR": "029", "BL": "029", "KN": "029",
    "LC": "029", "MF": "029", "VC": "029", "SX": "029", "TT": "029", "TC": "029", "VI": "029",
    # Central America (Clipperton, off Mexico, with it)
    "BZ": "013", "CR": "013", "SV": "013", "GT": "013", "HN": "013", "MX": "013", "NI": "013",
    "PA": "013", "CP": "013",
    # South America
    "AR": "005", "BO": "005", "BV": "005", "BR": "005", "CL": "005", "CO": "005", "EC": "005",
    "FK": "005", "GF": "005", "GY": "005", "PY": "005", "PE": "005", "GS": "005", "SR": "005",
    "UY": "005", "VE": "005",
    # Northern America
    "BM": "021", "CA": "021", "GL": "021", "PM": "021", "US": "021",
    # Central Asia
    "KZ": "143", "KG": "143", "TJ": "143", "TM": "143", "UZ": "143",
    # Eastern Asia
    "CN": "030", "HK": "030", "MO": "030", "KP": "030", "JP": "030", "MN": "030", "KR": "030",
    "TW": "030",
    # South-eastern Asia
    "BN": "035", "KH": "035", "ID": "035", "LA": "035", "MY": "035", "MM": "035", "PH": "035",
    "SG": "035", "TH": "035", "TL": "035", "VN": "035",
    # Southern Asia
    "AF": "034", "BD": "034", "BT": "034", "IN": "034", "IR": "034", "MV": "034", "NP": "034",
    "PK": "034", "LK": "034",
    # Western Asia
    "AM": "145", "AZ": "145", "BH": "145", "CY": "145", "GE": "145", "IQ": "145", "IL": "145",
    "JO": "145", "KW": "145", "LB": "145", "OM": "145", "QA": "145", "SA": "145", "PS": "145",
    "SY": "145", "TR": "145", "AE": "145", "YE": "145",
    # Eastern Europe
    "BY": "151", "BG": "151", "CZ": "151", "HU": "151", "PL": "151", "MD": "151", "RO": "151",
    "RU": "151", "SK": "151", "UA": "151",
    # Northern Europe
    "AX": "154", "DK": "154", "EE": "154", "FO": "154", "FI": "154", "GG": "154", "IS": "154",
    "IE": "154", "IM": "154", "JE": "154", "LV": "154", "LT": "154", "NO": "154", "SJ": "154",
    "SE": "154", "GB": "154", "CQ": "154",
    # Southern Europe
    "AL": "039", "AD": "039", "BA": "039", "HR": "039", "GI": "039", "GR": "039", "VA": "039",
    "IT": "039", "MT": "039", "ME": "039", "MK": "039", "PT": "039", "SM": "039", "RS": "039",
    "SI": "039", "ES": "039", "XK": "039",
    # Western Europe
    "AT": "155", "BE": "155", "FR": "155", "DE": "155", "LI": "155", "LU": "155", "MC": "155",
    "NL": "155", "CH": "155",
    # Australia and New Zealand
    "AU": "053", "CX": "053", "CC": "053", "HM": "053", "NZ": "053", "NF": "053",
    # Melanesia
    "FJ": "054", "NC": "054", "PG": "054", "SB": "054", "VU": "054",
    # Micronesia
    "GU": "057", "KI": "057", "MH": "057", "FM": "057", "NR": "057", "MP": "057", "PW": "057",
    "UM": "057",
    # Polynesia
    "AS": "061", "CK": "061", "PF": "061", "NU": "061", "PN": "061", "WS": "061", "TK": "061",
    "TO": "061", "TV": "061", "WF": "061",
}  # fmt: skip

# CLDR territory codes that are not places (groupings, pseudo-locales, unknown).
NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "003"})


@lru_cache(maxsize=4)
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def region_names(code: str) -> tuple[str, str]:
    """(English, Arabic) CLDR names of a country or UN M.49 region code."""
    english = _territories("en").get(code, "")
    return english[:1].upper() + english[1:], _territories("ar").get(code, "")


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    """Normalised English and Arabic names (hamza, case and diacritics folded) → code."""
    names: dict[str, str] = {}
    for language in ("en", "ar"):
        for code in M49_PARENT.keys() | {WORLD}:
            label = _territories(language).get(code)
            if label:
                names.setdefault(normalize(label), code)
    return names


def code_for_name(name: str) -> str | None:
    """The code of the region named `name` in English or Arabic, or given by its code.

    Case, Arabic diacritics and hamza spellings do not matter: "الامارات العربية المتحدة" is AE.
    """
    name = name.strip()
    if name in M49_PARENT or name == WORLD:
        return name
    return _codes_by_name().get(normalize(name))


def region_path(code: str) -> list[str]:
    """The codes from World down to `code`: "TJ" → ["001", "142", "143", "TJ"]."""
    path = [code]
    while path[0] in M49_PARENT:
        path.insert(0, M49_PARENT[path[0]])
    return path


@uses_archive
def ensure_region(archive, code: str) -> Tag:
    """The region tag for a CLDR code, created with its parents (World › Asia › Central Asia › …)."""
    parent = ensure_region(archive, M49_PARENT[code]) if code in M49_PARENT else None
    existing = Tag.get_or_none((Tag.facet == "region") & (Tag.code == code))
    if existing:
        return existing
    name_en, name_ar = region_names(code)
    tag = archive.ensure_tag("region", name_en or code, name_ar, parent=parent, code=code)
    if tag.code is None:  # a region typed by hand before its CLDR entry was seeded: adopt it
        tag.code = code
        if tag.parent_id is None and parent is not None:
            tag.parent = parent
        tag.save()
    return tag


@uses_archive
def ensure_all_regions(archive) -> int:
    """Seed the whole region vocabulary (every CLDR country and UN M.49 region, nested) in one transaction.

    Returns how many region tags were created; running it again creates none.
    """
    before = Tag.select().where(Tag.facet == "region").count()
    with archive.db.atomic():
        for code in sorted(M49_PARENT, key=lambda c: len(region_path(c))):
            ensure_region(archive, code)
    return Tag.select().where(Tag.facet == "region").count() - before


__all__ = [
    "M49_PARENT",
    "code_for_name",
    "ensure_all_regions",
    "ensure_region",
    "region_names",
    "region_path",
]
