"""The message catalogues are complete (issue 17): every string marked for translation has a
translation in nb, zh_Hans and zh_Hant; a sentence is never the English copied over; the
placeholders of every translation are those of its English; nothing is left fuzzy; and the
committed catalogues hold exactly the strings the code marks today (makemessages run on a
copy of the source finds nothing new)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nb", "zh_Hans", "zh_Hant")
# Strings that are the same in every language: names, codes, formats and abbreviations.
SAME_EVERYWHERE = re.compile(r"^[\W\d_]*(IMA|CMA|CPE|API|PDF|CSV|JSON|ID|OK|URL|USD|h)?[\W\d_]*$")
# Proper names kept in English where the language writes them so (IMA's own name).
NAMES = {"Institute of Management Accountants"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")
_WORD = re.compile(r"[A-Za-z]{3,}")


def _catalogue(language: str) -> Catalog:
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po)


def _translations(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return [s or "" for s in strings]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _is_sentence(text: str) -> bool:
    return len(_WORD.findall(_PLACEHOLDER.sub(" ", re.sub(r"<[^>]+>", " ", text)))) >= 2


def _messages(language: str) -> list[Message]:
    return [m for m in _catalogue(language) if m.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_translation(language: str) -> None:
    missing = [_ids(m)[0] for m in _messages(language) if not all(_translations(m))]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_left_fuzzy(language: str) -> None:
    fuzzy = [_ids(m)[0] for m in _messages(language) if m.fuzzy]
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_is_the_english_copied(language: str) -> None:
    copied = [
        _ids(m)[0]
        for m in _messages(language)
        if _is_sentence(_ids(m)[0])
        and not SAME_EVERYWHERE.match(_ids(m)[0])
        and _ids(m)[0] not in NAMES
        and any(t.strip() == _ids(m)[0].strip() for t in _translations(m))
    ]
    assert copied == [], f"English copied in {language}: {copied[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for message in _messages(language):
        expected = set(_PLACEHOLDER.findall(_ids(message)[-1]))
        *singular_forms, last = _translations(message)
        if last and set(_PLACEHOLDER.findall(last)) != expected:
            wrong.append((_ids(message)[0], last))
        # A singular form may leave out the count ("only one repeat"), never add a name.
        allowed = expected | set(_PLACEHOLDER.findall(_ids(message)[0]))
        for text in singular_forms:
            if text and not set(_PLACEHOLDER.findall(text)) <= allowed:
                wrong.append((_ids(message)[0], text))
    assert wrong == [], f"placeholders changed in {language}: {wrong[:10]}"


def test_the_finders_see_a_copied_sentence_and_a_lost_placeholder() -> None:
    assert _is_sentence("Enroll for %(price)s now")
    assert not _is_sentence("%(price)s")
    assert SAME_EVERYWHERE.match("CPE")
    assert not SAME_EVERYWHERE.match("Save changes")
    assert sorted(set(_PLACEHOLDER.findall("%(a)s and %(b)s %%"))) == ["%(a)s", "%(b)s"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_the_catalogues_hold_every_string_the_code_marks(tmp_path: Path) -> None:
    """makemessages on a copy of the source: the catalogues it makes have no msgid that the
    committed nb catalogue lacks, and the committed one none the code no longer marks."""
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(
        ".venv", "node_modules", "staticfiles", "tests", "benchmarks", "scripts", ".git",
        "__pycache__", "media", "*.mo", "docs",
    )  # fmt: skip
    shutil.copytree(ROOT, copy, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--settings",
            "imaportal.settings.test",
            "-l",
            "nb",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    with (copy / "locale" / "nb" / "LC_MESSAGES" / "django.po").open("rb") as po:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.id}
    committed = {_ids(m)[0] for m in _messages("nb")}
    assert sorted(fresh - committed) == [], "run makemessages: new strings are not in locale/"
    assert sorted(committed - fresh) == [], "run makemessages: locale/ holds strings no longer used"
