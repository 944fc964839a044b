"""Region tags from CLDR (through Babel): names in English and Arabic, nested by UN M.49 containment."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from archive.models import Tag

# UN M.49: code → the region that contains it. Countries by ISO 3166 alpha-2, regions by M.49 number.
M49_PARENT: dict[str, str] = {
    "002": "001", "019": "001", "142": "001", "150": "001", "009": "001",
    "015": "002", "202": "002", "011": "202", "014": "202", "017": "202", "018": "202",
    "021": "019", "419": "019", "013": "419", "029": "419", "005": "419",
    "143": "142", "030": "142", "035": "142", "034": "142", "145": "142",
    "151": "150", "154": "150", "039": "150", "155": "150",
    "053": "009", "054": "009", "057": "009", "061": "009",
    # Central Asia
    "KZ": "143", "KG": "143", "TJ": "143", "TM": "143", "UZ": "143",
    # Southern Asia
    "AF": "034", "BD": "034", "BT": "034", "IN": "034", "IR": "034", "LK": "034", "MV": "034", "NP": "034",
    "PK": "034",
    # Western Asia
    "AE": "145", "AM": "145", "AZ": "145", "BH": "145", "CY": "145", "GE": "145", "IL": "145", "IQ": "145",
    "JO": "145", "KW": "145", "LB": "145", "OM": "145", "PS": "145", "QA": "145", "SA": "145", "SY": "145",
    "TR": "145", "YE": "145",
    # Eastern and South-eastern Asia
    "CN": "030", "HK": "030", "JP": "030", "KP": "030", "KR": "030", "MN": "030", "MO": "030", "TW": "030",
    "BN": "035", "ID": "035", "KH": "035", "LA": "035", "MM": "035", "MY": "035", "PH": "035", "SG": "035",
    "TH": "035", "TL": "035", "VN": "035",
    # Northern Africa
    "DZ": "015", "EG": "015", "LY": "015", "MA": "015", "SD": "015", "TN": "015", "EH": "015",
    # Sub-Saharan Africa (selection)
    "KE": "014", "ET": "014", "SO": "014", "DJ": "014", "TZ": "014", "UG": "014", "ER": "014",
    "NG": "011", "ML": "011", "NE": "011", "SN": "011", "MR": "011", "ZA": "018", "TD": "017",
    # Europe
    "BY": "151", "RU": "151", "UA": "151", "PL": "151", "RO": "151", "BG": "151", "HU": "151", "CZ": "151",
    "EE": "154", "LV": "154", "LT": "154", "GB": "154", "IE": "154", "SE": "154", "NO": "154", "FI": "154",
    "DK": "154", "FR": "155", "DE": "155", "NL": "155", "BE": "155", "CH": "155", "AT": "155", "LU": "155",
    "IT": "039", "ES": "039", "PT": "039", "GR": "039", "BA": "039", "RS": "039", "AL": "039", "MT": "039",
    # Americas
    "US": "021", "CA": "021", "MX": "013", "BR": "005", "AR": "005", "CO": "005", "CL": "005", "PE": "005",
    # Oceania
    "AU": "053", "NZ": "053",
}  # fmt: skip


@lru_cache(maxsize=4)
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def region_names(code: str) -> tuple[str, str]:
    """(English, Arabic) CLDR names of a country or UN M.49 region code."""
    english = _territories("en").get(code, "")
    return english[:1].upper() + english[1:], _territories("ar").get(code, "")


def code_for_name(name: str) -> str | None:
    """The CLDR code whose English or Arabic name is `name` (case-insensitive for English)."""
    wanted = name.strip().casefold()
    for language in ("en", "ar"):
        for code, label in _territories(language).items():
            if label.casefold() == wanted and (code in M49_PARENT or code.isalpha()):
                return code
    return None


def ensure_region(archive, code: str) -> Tag:
    """The region tag for a CLDR code, created with its parents (World › Asia › Central Asia › …)."""
    parent = ensure_region(archive, M49_PARENT[code]) if code in M49_PARENT else None
    existing = Tag.get_or_none((Tag.facet == "region") & (Tag.code == code))
    if existing:
        return existing
    name_en, name_ar = region_names(code)
    return archive.ensure_tag("region", name_en or code, name_ar, parent=parent, code=code)
