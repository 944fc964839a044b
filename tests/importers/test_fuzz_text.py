"""Hostile input to the text importer: any bytes end in a document or a clear error, never a crash."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qirtas.importers import Extracted, ExtractionError, extract

from tests.conftest import SEED_FILES

SEED_BYTES = [p.read_bytes() for p in SEED_FILES]


def _outcome(tmp_path, data: bytes, name: str = "x.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    try:
        return extract(path)
    except ExtractionError as error:
        assert str(error).endswith(".") and len(str(error)) > 10  # a sentence a person can read
        return error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_arbitrary_bytes(tmp_path, data):
    outcome = _outcome(tmp_path, data)
    if isinstance(outcome, Extracted):
        assert outcome.text.strip() and "\r" not in outcome.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.sampled_from(SEED_BYTES),
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=4),
    noise=st.binary(max_size=20),
    prefix=st.sampled_from(
        [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
    ),
)
def test_mutated_seeds(tmp_path, seed, cuts, noise, prefix):
    data = bytearray(seed)
    for cut in cuts:  # truncate mid-character, splice noise in
        data[cut % max(1, len(data)) :] = noise + bytes(data[cut % max(1, len(data)) :][len(noise) :])
    outcome = _outcome(tmp_path, prefix + bytes(data))
    assert isinstance(outcome, Extracted | ExtractionError)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=500).filter(lambda t: t.strip()),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_any_unicode_text_round_trips_in_unicode_encodings(tmp_path, text, encoding):
    """Whatever Unicode a file holds comes back (after newline and NFC normalisation) or is refused clearly."""
    import unicodedata

    outcome = _outcome(tmp_path, text.encode(encoding, errors="surrogatepass"))
    if isinstance(outcome, Extracted):
        expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        assert outcome.text == expected
