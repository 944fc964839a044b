"""Search benchmark: 100,000 generated ≈3 kB documents (English and Arabic, tagged), 200 varied queries.

    python benchmarks/bench_search.py [--documents 100000] [--queries 200] [--keep DIR]

Builds an archive in a temporary folder (never in the repository) through `Archive.add_batch` — the
import path, originals written and flushed, index and audit in the same transaction — and tags it with
one multi-row INSERT of DocumentTag rows (the faster path; `tag_documents` writes an audit event per
document). Then times, in-process, `Archive.search(query, limit=50, quick=True)` ("search": a first page of 50
hits with snippets; the total counted up to 1,000, "more than 1,000" beyond; a result of more than 300
matches ranked among its 300 newest, a smaller one whole in bm25's order), the same with `limit=1`
("search_desktop": what the window asks as one types; its table shows no snippets), the same with the phrase weights of the quick ranking forgotten before each query
("search_cold_weights"; they are otherwise kept while the index is unchanged), the same with every
match ranked ("search_complete"), `Archive.search(query, limit=0)` ("core": every id
ranked, no page), `Archive.facet_counts(query=…)`, and the same queries' words as raw FTS5 `MATCH`
ranked by bm25 on a bare table of the original text (default unicode61 tokenizer, no stemming, no
snippets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qirtas.archive import search
from qirtas.archive.archive import Archive, NewDocument
from qirtas.archive.models import DocumentTag, database
from qirtas.archive.regions import ensure_region
from qirtas.importers import Extracted
from qirtas.seeds import METADATA, SEEDS_DIR

REGION_CODES = [
    "TJ",
    "KZ",
    "KG",
    "UZ",
    "EG",
    "SA",
    "AE",
    "JO",
    "SY",
    "IQ",
    "FR",
    "DE",
    "GB",
    "US",
    "CN",
    "AF",
]
EXTRA_THEMES = [
    ("Radicalisation", "التطرف الفكري"),
    ("Recruitment", "التجنيد"),
    ("Financing of terrorism", "تمويل الإرهاب"),
    ("Content moderation", "إدارة المحتوى"),
    ("Foreign fighters", "المقاتلون الأجانب"),
    ("Counter-narratives", "الروايات المضادة"),
    ("Encryption", "التشفير"),
    ("Youth", "الشباب"),
]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    """English and Arabic words from the seeds, plus invented ones for a realistic long tail."""
    english, arabic = [], []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for word in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")):
            (arabic if re.match("[\u0600-\u06ff]", word) else english).append(word)
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    english += [
        "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        + rng.choice(["", "s", "ing", "ed", "tion"])
        for _ in range(15_000)
    ]
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    arabic += [
        rng.choice(["", "ال", "و", "ب", "لل", "وال"])
        + "".join(rng.choice(letters) for _ in range(rng.randint(3, 5)))
        + rng.choice(["", "ات", "ة", "ين", "ي"])
        for _ in range(15_000)
    ]
    return english, arabic


def _zipf_sampler(words: list[str], rng: random.Random):
    distinct = list(dict.fromkeys(words))
    rng.shuffle(distinct)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(distinct))]
    cumulative = list(_accumulate(weights))

    def sample(count: int) -> list[str]:
        return rng.choices(distinct, cum_weights=cumulative, k=count)

    return sample, distinct


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _document(rng, sample, language: str) -> tuple[str, str]:
    paragraphs, size = [], 0
    while size < 3000:
        sentence_words = sample(rng.randint(8, 18))
        paragraph = " ".join(sentence_words) + ". "
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) if language == "en" else len(paragraph) * 2
    title = " ".join(sample(rng.randint(5, 10)))
    return title[:1].upper() + title[1:], "\n\n".join(paragraphs)


def _words(english: list[str], arabic: list[str]) -> dict[str, list[str]]:
    return {"en": [w for w in english if len(w) > 3], "ar": [w for w in arabic if len(w) > 3]}


def reuse(path: Path, seed: int) -> tuple[Archive, dict]:
    """An archive built by an earlier run with --keep: the queries are made again, nothing is built."""
    archive = Archive.open(path, create=False)
    english, arabic = _vocabulary(random.Random(0))
    sample = database.execute_sql("SELECT title, text FROM document ORDER BY id LIMIT 2000").fetchall()
    text_bytes = database.execute_sql(
        "SELECT SUM(length(CAST(text AS BLOB)) + length(CAST(title AS BLOB))) FROM document"
    )
    return archive, {
        "build_seconds": 0.0,
        "bare_seconds": 0.0,
        "words": _words(english, arabic),
        "raw_rows": sample,
        "text_bytes": text_bytes.fetchone()[0],
    }


def build(path: Path, count: int, rng: random.Random) -> tuple[Archive, dict]:
    archive = Archive.open(path)
    english, arabic = _vocabulary(random.Random(0))
    samplers = {"en": _zipf_sampler(english, rng)[0], "ar": _zipf_sampler(arabic, rng)[0]}
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    themes = [archive.ensure_tag("theme", t["en"], t["ar"]) for t in metadata["themes"].values()]
    themes += [archive.ensure_tag("theme", en, ar) for en, ar in EXTRA_THEMES]
    regions = [ensure_region(archive, code) for code in REGION_CODES]
    dushanbe = archive.ensure_tag("region", "Dushanbe", "دوشانبي", parent=ensure_region(archive, "TJ"))
    regions.append(dushanbe)
    events = [archive.ensure_tag("event", f"Conference {n}", f"مؤتمر {n}") for n in range(1, 31)]
    started = time.perf_counter()
    batch, tag_rows, built = [], [], 0
    raw_rows = []
    for number in range(count):
        language = "ar" if rng.random() < 0.4 else "en"
        title, text = _document(rng, samplers[language], language)
        year = rng.randint(2010, 2024)
        extracted = Extracted(
            text=text,
            media_type="text/plain",
            title=title,
            language=language,
            date=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        )
        batch.append(NewDocument(f"{number}\n{text}".encode(), extracted, f"generated-{number}.txt"))
        raw_rows.append((title, text))
        if len(batch) == 1000 or number == count - 1:
            added = archive.add_batch(batch)
            for item in added:
                for tag in rng.sample(themes, rng.randint(1, 2)) + rng.sample(regions, rng.randint(1, 2)):
                    tag_rows.append((item.id, tag.id))
                if rng.random() < 0.5:
                    tag_rows.append((item.id, rng.choice(events).id))
            built += len(batch)
            batch = []
            print(
                f"\r  {built:,} documents, {built / (time.perf_counter() - started):,.0f}/s",
                end="",
                flush=True,
            )
    with database.atomic():
        for start in range(0, len(tag_rows), 5000):
            DocumentTag.insert_many(
                tag_rows[start : start + 5000], fields=[DocumentTag.document, DocumentTag.tag]
            ).execute()
    search.optimize_index()  # what `Archive.tag_documents` does after a bulk tagging
    build_seconds = time.perf_counter() - started
    print()
    # The baseline: a bare FTS5 table of the original text, default tokenizer, same title weight.
    started = time.perf_counter()
    database.execute_sql("CREATE VIRTUAL TABLE bare_fts USING fts5(title, body)")
    with database.atomic():
        database.cursor().executemany("INSERT INTO bare_fts(title, body) VALUES (?, ?)", raw_rows)
    bare_seconds = time.perf_counter() - started
    return archive, {
        "build_seconds": build_seconds,
        "bare_seconds": bare_seconds,
        "words": _words(english, arabic),
        "raw_rows": raw_rows[:2000],
        "text_bytes": sum(len(t.encode()) + len(b.encode()) for t, b in raw_rows),
    }


def queries(rng: random.Random, words: dict[str, list[str]], raw_rows, count: int) -> list[str]:
    """A varied mix: words of every frequency in both languages, phrases, prefixes, exclusion, OR, filters.

    Most words come from a stored document (what a person looks for again), some are invented (no hit).
    """
    by_language = {"en": [], "ar": []}
    for title, text in raw_rows:
        words_of = [w for w in re.findall(r"[^\W\d_]+", f"{title} {text}") if len(w) > 3]
        by_language["ar" if re.match("[\u0600-\u06ff]", words_of[0]) else "en"].append(words_of)

    def some(language: str, count: int = 1) -> list[str]:
        # distinct words of one document, so rare and frequent words both come up
        document = sorted(set(rng.choice(by_language[language])))
        return rng.sample(document, min(count, len(document)))

    def phrase() -> str:
        document = rng.choice(by_language[rng.choice(["en", "ar"])])
        start = rng.randrange(len(document) - 2)
        return '"' + " ".join(document[start : start + 2]) + '"'

    filters = [
        'theme:"hate speech"',
        'region:"Central Asia"',
        "region:Tajikistan",
        "date:2018..2020",
        "lang:ar",
        'theme:"Social media" date:2015..2019',
        'region:"Western Asia" lang:en',
        'event:"Conference 7"',
        "منطقة:طاجيكستان",
        "موضوع:التجنيد",
    ]
    kinds = [
        lambda: some("en")[0],
        lambda: " ".join(some("en", 2)),
        lambda: some("ar")[0],
        lambda: " ".join(some("ar", 2)),
        phrase,
        lambda: some("en")[0][:5] + "*",
        lambda: some("ar")[0][:4] + "*",
        lambda: f"{some('en')[0]} -{some('en')[0]}",
        lambda: f"{some('en')[0]} OR {some('ar')[0]}",
        lambda: rng.choice(words["en"]) + "x",  # a word no document has
        lambda: f"{some('en')[0]} {rng.choice(filters)}",
        lambda: f"{some('ar')[0]} {rng.choice(filters)}",
        lambda: rng.choice(filters),
    ]
    return [kinds[number % len(kinds)]() for number in range(count)]


def _raw_expression(query: str) -> str | None:
    """The query as raw FTS5 syntax on the original text: filters dropped; words, "phrases", prefix*,
    -exclusion and OR kept (what a bare FTS5 table can do)."""
    text = re.sub(r'(?:^|\s)-?[^\s:"]+:("[^"]*"|\S+)', " ", query)
    positive: list[str] = []
    negative: list[str] = []
    join_next = False
    for token in re.findall(r'-?"[^"]*"?|\S+', text):
        if token == "OR":
            join_next = bool(positive)
            continue
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        words = re.findall(r"[^\W_]+", body)
        if not words:
            continue
        expression = '"' + " ".join(words) + '"' + ("*" if body.endswith("*") else "")
        if negated:
            negative.append(expression)
        elif join_next:
            positive[-1] = f"({positive[-1]} OR {expression})"
        else:
            positive.append(expression)
        join_next = False
    if not positive:
        return None
    expression = " AND ".join(positive)
    return f"({expression}) NOT ({' OR '.join(negative)})" if negative else expression


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(archive: Archive, query_list: list[str]) -> dict:
    for warm in query_list[:10]:  # warm the page cache and the stem caches
        archive.search(warm)
    timings = {
        "search": [],
        "search_desktop": [],
        "search_cold_weights": [],
        "search_complete": [],
        "core": [],
        "facets": [],
        "raw": [],
        "raw_snippets": [],
        "search_with_text": [],
    }
    core_with_text = []
    totals = []
    for text in query_list:
        # A first page (`quick`): 50 hits with snippets; a broad result is counted up to 1,000 and ranked
        # among its 300 newest matches.
        started = time.perf_counter()
        archive.search(text, limit=50, quick=True)
        elapsed = time.perf_counter() - started
        timings["search"].append(elapsed)
        started = time.perf_counter()
        archive.search(text, limit=1, quick=True)  # what the window asks (it shows no snippets)
        timings["search_desktop"].append(time.perf_counter() - started)
        search.state_of(archive.db).forget_weights()  # as if no earlier query had weighed its phrases
        started = time.perf_counter()
        archive.search(text, limit=50, quick=True)
        timings["search_cold_weights"].append(time.perf_counter() - started)
        # The same page with every match ranked (the CLI; the desktop's read thread gets these ids).
        started = time.perf_counter()
        totals.append(archive.search(text, limit=50).total)  # exact (a quick one stops at 1,000)
        timings["search_complete"].append(time.perf_counter() - started)
        started = time.perf_counter()
        archive.search(text, limit=0)  # parse, plan and ranked ids only: what compares with raw MATCH
        core = time.perf_counter() - started
        timings["core"].append(core)
        started = time.perf_counter()
        archive.facet_counts(query=text)
        timings["facets"].append(time.perf_counter() - started)
        expression = _raw_expression(text)
        if expression:
            started = time.perf_counter()
            try:
                database.execute_sql(
                    "SELECT rowid, bm25(bare_fts, 5.0, 1.0) FROM bare_fts WHERE bare_fts MATCH ? ORDER BY 2",
                    (expression,),
                ).fetchall()
            except Exception:
                continue
            timings["raw"].append(time.perf_counter() - started)
            started = time.perf_counter()
            rows = database.execute_sql(
                "SELECT rowid FROM bare_fts WHERE bare_fts MATCH ? ORDER BY bm25(bare_fts, 5.0, 1.0)",
                (expression,),
            ).fetchall()
            page = [row[0] for row in rows[:50]]
            if page:
                database.execute_sql(
                    "SELECT rowid, title, snippet(bare_fts, 1, '<<', '>>', '…', 24) FROM bare_fts "
                    f"WHERE bare_fts MATCH ? AND rowid IN ({', '.join('?' for _id in page)})",
                    (expression, *page),
                ).fetchall()
            timings["raw_snippets"].append(time.perf_counter() - started)
            timings["search_with_text"].append(elapsed)
            core_with_text.append(core)
    summary = {}
    for name, values in timings.items():
        milliseconds = [v * 1000 for v in values]
        summary[name] = {
            "n": len(values),
            "p50_ms": round(statistics.median(milliseconds), 2),
            "p95_ms": round(_percentile(milliseconds, 0.95), 2),
            "max_ms": round(max(milliseconds), 2),
            "mean_ms": round(statistics.fmean(milliseconds), 2),
        }
    timings["core_with_text"] = core_with_text
    for name in ("core_with_text",):
        milliseconds = [v * 1000 for v in timings[name]]
        summary[name] = {
            "n": len(milliseconds),
            "p50_ms": round(statistics.median(milliseconds), 2),
            "p95_ms": round(_percentile(milliseconds, 0.95), 2),
        }
    buckets = {"hits <= 1,000": (0, 1_000), "1,001-10,000": (1_001, 10_000), "> 10,000": (10_001, 10**9)}
    summary["search_by_hits"] = {}
    for name, (low, high) in buckets.items():
        picked = [
            t * 1000 for t, total in zip(timings["search"], totals, strict=True) if low <= total <= high
        ]
        if picked:
            summary["search_by_hits"][name] = {
                "n": len(picked),
                "p50_ms": round(statistics.median(picked), 2),
                "p95_ms": round(_percentile(picked, 0.95), 2),
            }
    slowest = sorted(zip(timings["search"], query_list, totals, strict=True), reverse=True)[:8]
    summary["slowest"] = [
        f"{seconds * 1000:.0f} ms  {total:>6} hits  {text}" for seconds, text, total in slowest
    ]
    summary["hits"] = {
        "median": statistics.median(totals),
        "p95": _percentile(totals, 0.95),
        "max": max(totals),
        "zero": totals.count(0),
        "over_10000": sum(total > 10_000 for total in totals),
    }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--keep", type=Path, help="build in (or reuse) this folder instead of a temporary one"
    )
    parser.add_argument("--seed", type=int, default=4)
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="qirtas-bench-search-"))
    try:
        if (folder / "archive" / "qirtas.sqlite3").exists():
            print(f"reusing the archive in {folder}")
            archive, built = reuse(folder / "archive", options.seed)
            options.documents = archive.count()
        else:
            print(f"building {options.documents:,} documents in {folder}")
            archive, built = build(folder / "archive", options.documents, random.Random(options.seed))
        query_list = queries(
            random.Random(options.seed + 1), built["words"], built["raw_rows"], options.queries
        )
        summary = run(archive, query_list)
        database_bytes = archive.db_path.stat().st_size
        size = {
            "index_mb": round(search.index_size() / 1e6, 1),
            "bare_fts_mb": round(
                database.execute_sql("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'bare_fts%'").fetchone()[
                    0
                ]
                / 1e6,
                1,
            ),
            "database_mb": round(database_bytes / 1e6, 1),
            "text_mb": round(built["text_bytes"] / 1e6, 1),
        }
        report = {
            "documents": options.documents,
            "queries": len(query_list),
            "build_seconds": round(built["build_seconds"], 1),
            "documents_per_second": round(options.documents / built["build_seconds"])
            if built["build_seconds"]
            else None,
            "bare_fts_build_seconds": round(built["bare_seconds"], 1),
            **summary,
            "ratio_p95_core_to_raw": round(summary["core_with_text"]["p95_ms"] / summary["raw"]["p95_ms"], 2),
            "ratio_p50_core_to_raw": round(summary["core_with_text"]["p50_ms"] / summary["raw"]["p50_ms"], 2),
            "ratio_p95_search_to_raw_snippets": round(
                summary["search_with_text"]["p95_ms"] / summary["raw_snippets"]["p95_ms"], 2
            ),
            "ratio_p50_search_to_raw_snippets": round(
                summary["search_with_text"]["p50_ms"] / summary["raw_snippets"]["p50_ms"], 2
            ),
            "size": size,
            "load_average": [round(value, 1) for value in os.getloadavg()],  # a shared machine, say so
            "examples": query_list[:13],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        archive.close()
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
