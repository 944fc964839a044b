"""The places region suggestions look for (CLDR territories, well-known variants of their names, cities and
venues) and PlaceFinder, which tells which of them a text names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from babel import Locale
from qirtas.archive.regions import M49_PARENT, region_names
from qirtas.archive.suggest.text import (
    FoldedText,
    PhraseHit,
    arabic_marks,
    find_phrases,
    fold_phrase,
    is_arabic,
    looks_like_name,
    marks_agree,
    part_of_a_name,
    phrase_pattern,
)

# CLDR territory codes that are not places a document is "about" (or whose name is a common word).
NOT_PLACES = {"UN", "EU", "EZ", "QO", "XA", "XB", "ZZ", "001", "JE"}

# Names people write that differ from CLDR's (English, Arabic), by code.
ALIASES: dict[str, tuple[list[str], list[str]]] = {
    "AE": (["UAE", "U.A.E.", "United Arab Emirates"], ["الإمارات", "دولة الإمارات"]),
    "KR": (["Republic of Korea", "ROK"], ["جمهورية كوريا", "كوريا الجنوبية"]),
    "KP": (["Democratic People's Republic of Korea", "DPRK"], ["كوريا الديمقراطية", "جمهورية كوريا الشعبية"]),
    "US": (["United States of America", "USA", "U.S.", "U.S.A."], ["أمريكا", "امريكا", "الولايات المتحدة الأمريكية"]),
    "RU": (["Russian Federation"], ["الاتحاد الروسي", "روسيا الاتحادية"]),
    "GB": (["UK", "U.K.", "Britain", "Great Britain"], ["بريطانيا"]),
    "SA": (["Kingdom of Saudi Arabia", "KSA"], ["السعودية"]),
    "SY": (["Syrian Arab Republic"], ["سورية"]),
    "IR": (["Islamic Republic of Iran"], ["الجمهورية الإسلامية الإيرانية"]),
    "TR": (["Turkey"], []),
    "OM": (["Sultanate of Oman"], ["سلطنة عمان"]),
    "JO": (["Hashemite Kingdom of Jordan"], ["المملكة الأردنية الهاشمية"]),
    "TH": ([], ["تايلند"]),
    "LB": ([], ["الجمهورية اللبنانية"]),
    "PS": (["Palestine", "State of Palestine"], ["فلسطين", "دولة فلسطين"]),
    "CZ": (["Czech Republic"], ["الجمهورية التشيكية"]),
    "MM": (["Myanmar", "Burma"], ["ميانمار"]),
    "CD": (["Democratic Republic of the Congo", "DRC"], ["جمهورية الكونغو الديمقراطية"]),
    "CG": (["Republic of the Congo"], []),
    "CI": (["Ivory Coast", "Côte d'Ivoire"], ["كوت ديفوار"]),
    "HK": (["Hong Kong"], ["هونغ كونغ"]),
    "MO": (["Macao", "Macau"], ["ماكاو"]),
    "VN": (["Viet Nam"], []),
    "LA": (["Lao People's Democratic Republic"], []),
    "TZ": (["United Republic of Tanzania"], []),
    "MD": (["Republic of Moldova"], []),
    "MK": (["Macedonia"], []),
    "SZ": (["Swaziland"], []),
    "CV": (["Cape Verde"], []),
    "TL": (["East Timor"], []),
    "VA": (["Holy See", "Vatican"], ["الفاتيكان"]),
    "KG": (["Kyrgyz Republic"], []),
    "143": ([], ["آسيا الوسطى"]),
    "145": (["West Asia"], ["آسيا الغربية"]),
    "030": (["East Asia"], ["آسيا الشرقية"]),
    "035": (["Southeast Asia", "South-East Asia"], []),
    "034": (["South Asia"], []),
    "015": (["North Africa"], []),
    "011": (["West Africa"], ["غربي أفريقيا"]),
    "014": (["East Africa"], ["شرقي أفريقيا"]),
    "017": (["Central Africa"], []),
    "018": ([], ["الجنوب الأفريقي"]),
    "202": ([], ["أفريقيا جنوب الصحراء"]),
    "419": (["Latin America"], ["أمريكا اللاتينية"]),
    "021": (["North America"], ["أمريكا الشمالية"]),
}  # fmt: skip


# Arabic country names that are also common words (مالي "financial", "my money": دعم مالي): they count where
# they read as a place — after a word that introduces one (في مالي, حكومة مالي, بمالي), in a list of places
# (النيجر ومالي), or beside a place in the country (باماكو).
COMMON_WORD_NAMES_AR: dict[str, tuple[str, ...]] = {"ML": ("مالي",)}
_PLACE_CUE = re.compile(
    r"(?:(?<!\w)(?:في|إلى|الى|من|شمال|جنوب|وسط|شرق|غرب|شمالي|جنوبي|شرقي|غربي|حكومة|جمهورية|عاصمة|رئيس|شعب"
    r"|بعثة|دولة|حدود)\s+|(?<!\w)[وف]?[بل])$"
)
_LIST_GAP = re.compile(r"[\s،,]*و?")


@dataclass(frozen=True)
class City:
    """A place below a country that CLDR does not name: a city, or a venue such as UN Headquarters."""

    key: str
    name_en: str
    name_ar: str  # with the marks that tell it from a namesake (عمّان, not عُمان Oman)
    parent: str  # a CLDR code, or the key of another City
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    # Names that are also common words (سيول "floods" is also Seoul): they count only when the text
    # names the city's country too.
    with_country_ar: tuple[str, ...] = ()


def _city(key, en, ar, parent, aliases_en=(), aliases_ar=(), with_country_ar=()) -> City:
    return City(key, en, ar, parent, tuple(aliases_en), tuple(aliases_ar), tuple(with_country_ar))


# Matching folds hamza forms, teh marbuta, alef maksura, diacritics (shadda too) and ڤ/پ/چ, so the
# aliases here are only other spellings (كابول/كابل). A capital that shares its country's Arabic name
# (الكويت, تونس, الجزائر, جيبوتي, بنما) is known by its qualified name only (مدينة الكويت, تونس العاصمة):
# the bare name stays the country. Two places with one name (طرابلس in Libya and in Lebanon, عمان for
# Amman and Oman) are told apart by the text's marks and the other places it names (engine.py).
CITIES: tuple[City, ...] = (
    # venues
    _city("un-headquarters", "UN Headquarters", "مقر الأمم المتحدة", "new-york",
          ["United Nations Headquarters", "UNHQ", "UN HQ", "UN headquarters"], ["مقر الأمم المتحدة في نيويورك"]),
    _city("palais-des-nations", "Palais des Nations", "قصر الأمم", "geneva", [], ["قصر الأمم المتحدة"]),
    _city("vienna-international-centre", "Vienna International Centre", "مركز فيينا الدولي", "vienna",
          ["Vienna International Center"]),
    _city("peace-palace", "Peace Palace", "قصر السلام", "the-hague"),
    # Europe and North America
    _city("new-york", "New York", "نيويورك", "US", ["New York City"], ["نيو يورك"]),
    _city("washington", "Washington, D.C.", "واشنطن", "US", ["Washington"], ["واشنطن العاصمة", "واشنطون"]),
    _city("ottawa", "Ottawa", "أوتاوا", "CA"),
    _city("montreal", "Montreal", "مونتريال", "CA"),
    _city("geneva", "Geneva", "جنيف", "CH", [], ["جينيف"]),
    _city("vienna", "Vienna", "فيينا", "AT"),
    _city("paris", "Paris", "باريس", "FR"),
    _city("strasbourg", "Strasbourg", "ستراسبورغ", "FR"),
    _city("brussels", "Brussels", "بروكسل", "BE", [], ["بروكسيل"]),
    _city("the-hague", "The Hague", "لاهاي", "NL", ["Den Haag"]),
    _city("london", "London", "لندن", "GB"),
    _city("berlin", "Berlin", "برلين", "DE"),
    _city("rome", "Rome", "روما", "IT"),
    _city("madrid", "Madrid", "مدريد", "ES"),
    _city("lisbon", "Lisbon", "لشبونة", "PT"),
    _city("athens", "Athens", "أثينا", "GR"),
    _city("warsaw", "Warsaw", "وارسو", "PL"),
    _city("stockholm", "Stockholm", "ستوكهولم", "SE"),
    _city("copenhagen", "Copenhagen", "كوبنهاغن", "DK", [], ["كوبنهاجن"]),
    _city("oslo", "Oslo", "أوسلو", "NO"),
    _city("helsinki", "Helsinki", "هلسنكي", "FI"),
    _city("moscow", "Moscow", "موسكو", "RU"),
    _city("minsk", "Minsk", "مينسك", "BY"),
    _city("tallinn", "Tallinn", "تالين", "EE"),
    _city("kyiv", "Kyiv", "كييف", "UA", ["Kiev"]),
    # Arab States
    _city("cairo", "Cairo", "القاهرة", "EG"),
    _city("sharm-el-sheikh", "Sharm El-Sheikh", "شرم الشيخ", "EG", ["Sharm el Sheikh", "Sharm al-Sheikh"]),
    _city("rabat", "Rabat", "الرباط", "MA"),
    _city("marrakech", "Marrakech", "مراكش", "MA", ["Marrakesh"]),
    _city("algiers", "Algiers", "الجزائر العاصمة", "DZ"),
    _city("tunis", "Tunis", "تونس العاصمة", "TN"),
    _city("tripoli", "Tripoli", "طرابلس", "LY", [], ["طرابلس الغرب"]),
    _city("benghazi", "Benghazi", "بنغازي", "LY"),
    _city("khartoum", "Khartoum", "الخرطوم", "SD"),
    _city("nouakchott", "Nouakchott", "نواكشوط", "MR"),
    _city("djibouti-city", "Djibouti City", "مدينة جيبوتي", "DJ"),
    _city("mogadishu", "Mogadishu", "مقديشو", "SO"),
    _city("abu-dhabi", "Abu Dhabi", "أبوظبي", "AE", [], ["أبو ظبي"]),
    _city("dubai", "Dubai", "دبي", "AE"),
    _city("riyadh", "Riyadh", "الرياض", "SA"),
    _city("jeddah", "Jeddah", "جدة", "SA", ["Jedda"]),
    _city("doha", "Doha", "الدوحة", "QA"),
    _city("manama", "Manama", "المنامة", "BH"),
    _city("kuwait-city", "Kuwait City", "مدينة الكويت", "KW"),
    _city("muscat", "Muscat", "مسقط", "OM"),
    _city("sanaa", "Sana'a", "صنعاء", "YE", ["Sanaa"]),
    _city("aden", "Aden", "عدن", "YE"),
    _city("amman", "Amman", "عمّان", "JO"),
    _city("beirut", "Beirut", "بيروت", "LB"),
    _city("tripoli-lebanon", "Tripoli (Lebanon)", "طرابلس (لبنان)", "LB", ["Tripoli"], ["طرابلس", "طرابلس الشام"]),
    _city("damascus", "Damascus", "دمشق", "SY"),
    _city("aleppo", "Aleppo", "حلب", "SY"),
    _city("idlib", "Idlib", "إدلب", "SY"),
    _city("baghdad", "Baghdad", "بغداد", "IQ"),
    _city("erbil", "Erbil", "أربيل", "IQ", ["Irbil", "Arbil"]),
    _city("mosul", "Mosul", "الموصل", "IQ"),
    _city("basra", "Basra", "البصرة", "IQ", ["Basrah"]),
    _city("gaza-strip", "Gaza Strip", "قطاع غزة", "PS", ["Gaza"], ["غزة"]),
    _city("gaza", "Gaza City", "مدينة غزة", "gaza-strip"),
    _city("west-bank", "West Bank", "الضفة الغربية", "PS"),
    _city("ramallah", "Ramallah", "رام الله", "west-bank"),
    # Africa
    _city("nairobi", "Nairobi", "نيروبي", "KE"),
    _city("addis-ababa", "Addis Ababa", "أديس أبابا", "ET"),
    _city("juba", "Juba", "جوبا", "SS"),
    _city("kampala", "Kampala", "كمبالا", "UG"),
    _city("kigali", "Kigali", "كيغالي", "RW"),
    _city("kinshasa", "Kinshasa", "كينشاسا", "CD"),
    _city("bamako", "Bamako", "باماكو", "ML"),
    _city("niamey", "Niamey", "نيامي", "NE"),
    _city("ndjamena", "N'Djamena", "نجامينا", "TD", ["Ndjamena"], ["انجامينا"]),
    _city("dakar", "Dakar", "داكار", "SN"),
    _city("abuja", "Abuja", "أبوجا", "NG"),
    # Asia
    _city("tehran", "Tehran", "طهران", "IR"),
    _city("ankara", "Ankara", "أنقرة", "TR"),
    _city("istanbul", "Istanbul", "إسطنبول", "TR", [], ["استانبول"]),
    _city("baku", "Baku", "باكو", "AZ"),
    _city("tbilisi", "Tbilisi", "تبليسي", "GE"),
    _city("yerevan", "Yerevan", "يريفان", "AM"),
    _city("kabul", "Kabul", "كابول", "AF", [], ["كابل"]),
    _city("kandahar", "Kandahar", "قندهار", "AF"),
    _city("islamabad", "Islamabad", "إسلام آباد", "PK"),
    _city("karachi", "Karachi", "كراتشي", "PK"),
    _city("new-delhi", "New Delhi", "نيودلهي", "IN", [], ["نيو دلهي"]),
    _city("mumbai", "Mumbai", "مومباي", "IN"),
    _city("dhaka", "Dhaka", "دكا", "BD", [], ["داكا"]),
    _city("colombo", "Colombo", "كولومبو", "LK"),
    _city("kathmandu", "Kathmandu", "كاتماندو", "NP"),
    _city("dushanbe", "Dushanbe", "دوشانبي", "TJ", [], ["دوشنبه"]),
    _city("tashkent", "Tashkent", "طشقند", "UZ"),
    _city("bishkek", "Bishkek", "بيشكيك", "KG"),
    _city("almaty", "Almaty", "ألماتي", "KZ", ["Alma-Ata"]),
    _city("astana", "Astana", "أستانا", "KZ", ["Nur-Sultan"], ["نور سلطان"]),
    _city("ashgabat", "Ashgabat", "عشق آباد", "TM", [], ["عشقاباد"]),
    _city("beijing", "Beijing", "بكين", "CN", [], ["بيجين", "بيجينغ"]),
    _city("tokyo", "Tokyo", "طوكيو", "JP"),
    # سيول is also "floods", سول Urdu's "civil"
    _city("seoul", "Seoul", "سول", "KR", [], ["سيئول"], with_country_ar=["سيول", "سول"]),
    _city("bangkok", "Bangkok", "بانكوك", "TH"),
    _city("jakarta", "Jakarta", "جاكرتا", "ID"),
    _city("manila", "Manila", "مانيلا", "PH"),
    _city("kuala-lumpur", "Kuala Lumpur", "كوالالمبور", "MY", [], ["كوالا لمبور"]),
    # Latin America and the Caribbean
    _city("mexico-city", "Mexico City", "مكسيكو سيتي", "MX", [], ["مدينة مكسيكو", "مكسيكو"]),
    _city("guatemala-city", "Guatemala City", "مدينة غواتيمالا", "GT"),
    _city("panama-city", "Panama City", "مدينة بنما", "PA"),
    _city("havana", "Havana", "هافانا", "CU"),
    _city("port-au-prince", "Port-au-Prince", "بور أو برنس", "HT", [], ["بورت أو برنس"]),
    _city("bogota", "Bogotá", "بوغوتا", "CO"),
    _city("caracas", "Caracas", "كاراكاس", "VE"),
    _city("lima", "Lima", "ليما", "PE"),
    _city("brasilia", "Brasília", "برازيليا", "BR"),
    _city("buenos-aires", "Buenos Aires", "بوينس آيرس", "AR"),
)  # fmt: skip
CITY_BY_KEY = {city.key: city for city in CITIES}

# Names that mark a place only in a dateline ("الأمم المتحدة 11 مايو 2016 (شينخوا)", "UNITED NATIONS, May 11"):
# elsewhere they name the organisation.
DATELINE_ALIASES: dict[str, str] = {"United Nations": "un-headquarters", "الأمم المتحدة": "un-headquarters"}


# Phrases that contain a place name without being about the place — organisations, and Arabic words that
# share a place's spelling (القوة القاهرة "force majeure", صلاة المغرب "the sunset prayer"); matched so the
# place inside them is not.
NOT_PLACES_PHRASES = (
    "Organization for Security and Co-operation in Europe", "Organization for Security and Cooperation in Europe",
    "Council of Europe", "Economic Commission for Africa", "Economic Commission for Europe",
    "Economic and Social Commission for Western Asia", "Economic and Social Commission for Asia and the Pacific",
    "Economic Commission for Latin America and the Caribbean", "American Society of International Law",
    "منظمة الأمن والتعاون في أوروبا", "مجلس أوروبا", "اللجنة الاقتصادية لأفريقيا", "اللجنة الاقتصادية لأوروبا",
    "اللجنة الاقتصادية والاجتماعية لغربي آسيا", "اللجنة الاقتصادية والاجتماعية لغرب آسيا",
    "Gulf of Aden", "خليج عدن",
    "القوة القاهرة", "قوة قاهرة", "الظروف القاهرة", "ظروف قاهرة", "صلاة المغرب", "أذان المغرب",
)  # fmt: skip


@dataclass
class Place:
    """One place a region suggestion can name: a CLDR code or a city, maybe already a tag in the archive."""

    key: str  # "region:AE", "region:new-york"
    name_en: str
    name_ar: str
    code: str | None = None
    city: City | None = None
    tag_id: int | None = None
    parent: str = ""  # the name of the place it belongs to
    names_en: list[str] = field(default_factory=list)
    names_ar: list[str] = field(default_factory=list)
    with_country: list[str] = field(default_factory=list)  # names that count only beside its country's

    @property
    def country(self) -> str:
        """The CLDR code of the country (or region) the place is in, or is."""
        city = self.city
        while city is not None and city.parent in CITY_BY_KEY:
            city = CITY_BY_KEY[city.parent]
        return city.parent if city is not None else self.code or ""


def country_adjectives() -> dict[str, str]:
    """Arabic adjectives of countries (folded) → code, derived from CLDR's one-word names: الأردن →
    الأردني, الأردنية, أردنيين …; ليبيا → ليبي. Context only, never a suggestion: the adjective tells
    which Amman or Tripoli a text means, as "Kyrgyz" does not name a place to tag."""
    adjectives: dict[str, str] = {}
    for code in M49_PARENT:
        name = fold_phrase(region_names(code)[1])
        if not (code.isalpha() and name) or " " in name or code in NOT_PLACES:
            continue
        stem = name.removeprefix("ال")
        stem = stem[:-2] if stem.endswith("يا") else stem[:-1] if stem.endswith("ا") else stem
        if len(stem) < 3 or stem.endswith(("ي", "ه", "و")):
            continue  # مالي, جيبوتي: the adjective would be the name itself, or a word (مالية "financial")
        for ending in ("ي", "يه", "يين", "يون"):
            adjectives.setdefault("ال" + stem + ending, code)
            adjectives.setdefault(stem + ending, code)
    return adjectives


def cldr_places() -> list[Place]:
    places = []
    for code in Locale.parse("en").territories:
        if (
            not isinstance(code, str)
            or code in NOT_PLACES
            or not ((code.isalpha() and len(code) == 2) or code in M49_PARENT)
        ):
            continue
        name_en, name_ar = region_names(code)
        aliases_en, aliases_ar = ALIASES.get(code, ([], []))
        # CLDR's English names can carry a qualifier ("Myanmar (Burma)", "Congo - Kinshasa"): the aliases cover those.
        plain_en = [name_en] if "(" not in name_en and " - " not in name_en else []
        plain_ar = [name_ar] if name_ar and "(" not in name_ar and " - " not in name_ar else []
        word_like = list(COMMON_WORD_NAMES_AR.get(code, ()))
        places.append(
            Place(f"region:{code}", name_en, name_ar, code=code, names_en=plain_en + aliases_en,
                  names_ar=[n for n in plain_ar + aliases_ar if n not in word_like], with_country=word_like)
        )  # fmt: skip
    return places


def city_places() -> list[Place]:
    return [
        Place(
            f"region:{city.key}",
            city.name_en,
            city.name_ar,
            city=city,
            names_en=[city.name_en, *city.aliases_en],
            names_ar=[n for n in (city.name_ar, *city.aliases_ar) if n and n not in city.with_country_ar],
            with_country=list(city.with_country_ar),
        )
        for city in CITIES
    ]


class PlaceFinder:
    """The places a text names, from their names and spellings in both languages."""

    def __init__(self, places: list[Place]) -> None:
        not_places = {fold_phrase(name) for name in NOT_PLACES_PHRASES}
        # a name may stand for several places (طرابلس, عمان): `find` picks one per mention
        self._by_alias: dict[str, list[Place]] = {name: [] for name in not_places}
        self._with_country: set[tuple[str, str]] = set()  # (name, place key): only beside the country
        for place in places:
            for alias in [*place.names_en, *place.names_ar, *place.with_country]:
                folded = fold_phrase(alias)
                candidates = self._by_alias.setdefault(folded, [])
                if folded not in not_places and all(other is not place for other in candidates):
                    candidates.append(place)
            self._with_country.update((fold_phrase(alias), place.key) for alias in place.with_country)
        self._alias_text = {
            fold_phrase(a): a for p in places for a in [*p.names_en, *p.names_ar, *p.with_country]
        }
        self._region_pattern = phrase_pattern(list(self._by_alias))
        self._adjectives = country_adjectives()
        self._adjective_pattern = phrase_pattern(list(self._adjectives))

    def find(self, text: str, folded: FoldedText) -> list[tuple[Place, int, int]]:
        """Every place named in `text`: (place, start, end) in order."""
        named = []
        hits = find_phrases(folded, self._region_pattern)
        starts = {hit.start for hit in hits}
        for hit in hits:
            candidates = self._by_alias.get(hit.phrase)
            alias = self._alias_text.get(hit.phrase, "")
            if not (candidates and looks_like_name(hit.text(text), alias)):
                continue
            if not is_arabic(alias):
                next_start = len(text[: hit.end]) + len(text[hit.end :]) - len(text[hit.end :].lstrip(" \t"))
                single = " " not in alias and next_start not in starts
                if part_of_a_name(text, hit.start, hit.end, single_word=single):
                    continue
            named.append((hit, candidates))
        ambiguous = any(len(c) > 1 or (h.phrase, c[0].key) in self._with_country for h, c in named)
        countries = self._countries_named(folded, named) if ambiguous else set()
        found = []
        for index, (hit, candidates) in enumerate(named):
            previous = named[index - 1][0] if index else None
            following = named[index + 1][0] if index + 1 < len(named) else None
            listed = bool(
                (previous and _LIST_GAP.fullmatch(text[previous.end : hit.start]))
                or (following and _LIST_GAP.fullmatch(text[hit.end : following.start]))
            )
            place = self._which_place(hit, candidates, text, countries, listed)
            if place is not None:
                found.append((place, hit.start, hit.end))
        return found

    def _countries_named(self, folded: FoldedText, named: list[tuple[PhraseHit, list[Place]]]) -> set[str]:
        """The countries a text names without doubt: by a name only one place has (a city counts for its
        country: مسقط is Oman), or by an Arabic adjective (الأردنية)."""
        countries = {
            candidates[0].country
            for hit, candidates in named
            if len(candidates) == 1 and (hit.phrase, candidates[0].key) not in self._with_country
        }
        countries.update(
            self._adjectives[hit.phrase] for hit in find_phrases(folded, self._adjective_pattern)
        )
        return countries

    def _which_place(
        self, hit: PhraseHit, candidates: list[Place], text: str, countries: set[str], listed: bool
    ) -> Place | None:
        """The place a mention names: one that shares the marks it is written with (عمّان is Amman, عُمان
        Oman), else one in (or being) a country the text names, else the first listed (a country before
        its namesake city). A name that is also a common word needs its country named (سيول, Seoul), or,
        for a country (مالي), to read as a place: after في, حكومة …, or in a list of places."""
        reads_as_place = listed or bool(_PLACE_CUE.search(text, max(0, hit.start - 12), hit.start))
        options = [
            place
            for place in candidates
            if (hit.phrase, place.key) not in self._with_country
            or place.country in countries
            or (place.code is not None and reads_as_place)
        ]
        if len(options) <= 1:
            return options[0] if options else None
        written = arabic_marks(hit.text(text))
        return max(
            options,
            key=lambda place: (
                max((marks_agree(written, arabic_marks(name)) for name in place.names_ar), default=0),
                place.country in countries,
                -options.index(place),
            ),
        )
