"""The places region suggestions look for: CLDR territories, well-known variants of their names, and cities."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale
from qirtas.archive.regions import M49_PARENT, region_names

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
    "419": (["Latin America"], ["أمريكا اللاتينية"]),
    "021": (["North America"], ["أمريكا الشمالية"]),
}  # fmt: skip


@dataclass(frozen=True)
class City:
    """A place below a country that CLDR does not name: a city, or a venue such as UN Headquarters."""

    key: str
    name_en: str
    name_ar: str
    parent: str  # a CLDR code, or the key of another City
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()


def _city(key, en, ar, parent, aliases_en=(), aliases_ar=()) -> City:
    return City(key, en, ar, parent, tuple(aliases_en), tuple(aliases_ar))


# Arabic names shared with a country (تونس, الجزائر, الكويت) or a common word (عمان, سيول) are left out.
CITIES: tuple[City, ...] = (
    _city("un-headquarters", "UN Headquarters", "مقر الأمم المتحدة", "new-york",
          ["United Nations Headquarters", "UNHQ", "UN HQ", "UN headquarters"], ["مقر الامم المتحدة في نيويورك"]),
    _city("new-york", "New York", "نيويورك", "US", ["New York City"]),
    _city("washington", "Washington, D.C.", "واشنطن", "US", ["Washington"]),
    _city("geneva", "Geneva", "جنيف", "CH"),
    _city("vienna", "Vienna", "فيينا", "AT"),
    _city("paris", "Paris", "باريس", "FR"),
    _city("brussels", "Brussels", "بروكسل", "BE"),
    _city("the-hague", "The Hague", "لاهاي", "NL"),
    _city("london", "London", "لندن", "GB"),
    _city("berlin", "Berlin", "برلين", "DE"),
    _city("rome", "Rome", "روما", "IT"),
    _city("madrid", "Madrid", "مدريد", "ES"),
    _city("moscow", "Moscow", "موسكو", "RU"),
    _city("minsk", "Minsk", "مينسك", "BY"),
    _city("tallinn", "Tallinn", "تالين", "EE"),
    _city("cairo", "Cairo", "القاهرة", "EG"),
    _city("rabat", "Rabat", "الرباط", "MA"),
    _city("khartoum", "Khartoum", "الخرطوم", "SD"),
    _city("nairobi", "Nairobi", "نيروبي", "KE"),
    _city("addis-ababa", "Addis Ababa", "أديس أبابا", "ET"),
    _city("abu-dhabi", "Abu Dhabi", "أبوظبي", "AE", [], ["أبو ظبي"]),
    _city("dubai", "Dubai", "دبي", "AE"),
    _city("riyadh", "Riyadh", "الرياض", "SA"),
    _city("doha", "Doha", "الدوحة", "QA"),
    _city("manama", "Manama", "المنامة", "BH"),
    _city("muscat", "Muscat", "مسقط", "OM"),
    _city("amman", "Amman", "", "JO"),
    _city("beirut", "Beirut", "بيروت", "LB"),
    _city("baghdad", "Baghdad", "بغداد", "IQ"),
    _city("damascus", "Damascus", "دمشق", "SY"),
    _city("tehran", "Tehran", "طهران", "IR"),
    _city("ankara", "Ankara", "أنقرة", "TR"),
    _city("istanbul", "Istanbul", "إسطنبول", "TR", [], ["اسطنبول"]),
    _city("kabul", "Kabul", "كابول", "AF"),
    _city("islamabad", "Islamabad", "إسلام آباد", "PK"),
    _city("new-delhi", "New Delhi", "نيودلهي", "IN"),
    _city("dushanbe", "Dushanbe", "دوشانبي", "TJ", [], ["دوشنبه"]),
    _city("tashkent", "Tashkent", "طشقند", "UZ"),
    _city("bishkek", "Bishkek", "بيشكيك", "KG"),
    _city("almaty", "Almaty", "ألماتي", "KZ"),
    _city("astana", "Astana", "أستانا", "KZ", ["Nur-Sultan"]),
    _city("ashgabat", "Ashgabat", "عشق آباد", "TM"),
    _city("beijing", "Beijing", "بكين", "CN", [], ["بيجين"]),
    _city("tokyo", "Tokyo", "طوكيو", "JP"),
    _city("seoul", "Seoul", "", "KR"),  # سيول is also "floods"
    _city("ottawa", "Ottawa", "أوتاوا", "CA"),
    _city("mexico-city", "Mexico City", "مكسيكو سيتي", "MX"),
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
        places.append(
            Place(f"region:{code}", name_en, name_ar, code=code, names_en=plain_en + aliases_en,
                  names_ar=plain_ar + aliases_ar)
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
            names_ar=[n for n in (city.name_ar, *city.aliases_ar) if n],
        )
        for city in CITIES
    ]
