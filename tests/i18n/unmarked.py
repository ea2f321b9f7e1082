"""Finding user-visible strings that are not marked for translation (issue 17).

Templates: the text between tags and the human-facing attributes (``alt``, ``title``,
``placeholder``, ``aria-label``, ``data-label``) once every ``{% translate %}`` and
``{% blocktranslate %}...{% endblocktranslate %}``, every ``{{ variable }}``, every other
tag, comment, ``<script>`` and ``<style>`` is taken out: what is left and holds a word is a
string a reader sees in English whatever their language.

Python: string literals given to the messages framework, to ``ValidationError`` and to the
portal's own errors (``InvalidInput``, ``Conflict``, ``NotFound``, ``CreditRefused``...)
that are not inside a gettext call."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
APPS = (
    "imaportal",
    "audit",
    "members",
    "policy",
    "notifications",
    "cpe",
    "certification",
    "refunds",
)

_BLOCK = re.compile(r"\{% *blocktrans(late)?\b.*?\{% *endblocktrans(late)? *%\}", re.S)
_TAG = re.compile(r"\{%.*?%\}", re.S)
_VAR = re.compile(r"\{\{.*?\}\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}|<!--.*?-->|\{% *comment *%\}.*?\{% *endcomment *%\}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_ATTR = re.compile(r'\b(alt|title|placeholder|aria-label|data-label)="([^"]*)"')
_ELEMENT = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
# Not words for a reader: entities, the product's own name in the brand mark, units.
_ALLOWED_TEXT = {"IMA", "CMA", "CPE", "API", "PDF", "CSV", "OK", "h", "USD"}


def _words(text: str) -> bool:
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    found = [w for w in _WORD.findall(text) if w not in _ALLOWED_TEXT]
    return bool(found)


def template_strings(source: str) -> list[str]:
    """The unmarked human text of one template's source."""
    text = _COMMENT.sub(" ", source)
    text = _BLOCK.sub(" ", text)
    text = _SCRIPT.sub(" ", text)
    found = [value for _, value in _ATTR.findall(_TAG.sub(" ", _VAR.sub(" ", text)))]
    found = [v for v in found if _words(_TAG.sub(" ", _VAR.sub(" ", v)))]
    body = _ELEMENT.sub("\n", _TAG.sub(" ", _VAR.sub(" ", text)))
    found += [line.strip() for line in body.splitlines() if _words(line)]
    return found


def unmarked_in_templates() -> Iterator[tuple[str, str]]:
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        if "drf_spectacular" in path.parts:  # the API docs page: Swagger UI's own page
            continue
        for text in template_strings(path.read_text()):
            yield str(path.relative_to(ROOT)), text


_ERRORS = {
    "ValidationError",
    "InvalidInput",
    "Conflict",
    "NotFound",
    "CreditRefused",
    "EvidenceRefused",
    "PermissionDenied",
    "Http404",
}
_CODE = re.compile(r"^[a-z0-9_.]+$")  # a reason code such as "refund.text_too_long"
_ADDERS = {"add", "add_error", "_add"}
_MESSAGES = {"success", "error", "info", "warning", "add_message", "debug"}
_GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literals(node: ast.AST) -> Iterator[ast.Constant | ast.JoinedStr]:
    """String literals below ``node`` that are not inside a gettext call."""
    if isinstance(node, ast.Call) and _name(node.func) in _GETTEXT:
        return
    if isinstance(node, ast.Subscript):  # LIMITS["recommended_hours"]: a key, not words
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    if isinstance(node, ast.JoinedStr):
        yield node
        return
    if isinstance(node, ast.Dict):  # keys are field names, values are the messages
        for value in node.values:
            yield from _literals(value)
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _fixed_text(node: ast.JoinedStr) -> str:
    """The literal parts of an f-string (what would reach the reader in English)."""
    return " ".join(
        v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
    )


def _is_errors(node: ast.expr) -> bool:
    """``errors``, ``self.errors``, ``field_errors``...: a collection of messages per field."""
    return "error" in _name(node).lower()


def _collected(node: ast.AST) -> list[ast.AST]:
    """Messages put into a collection of errors: ``errors["f"] = ["..."]``,
    ``errors.append("...")``, ``errors.setdefault("f", []).append("...")``."""
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Subscript) and _is_errors(t.value) for t in node.targets
    ):
        return [node.value]
    return []


def python_strings(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        args: list[ast.AST] = _collected(node)
        for arg in args:
            for lit in _literals(arg):
                text = lit.value if isinstance(lit, ast.Constant) else _fixed_text(lit)
                if isinstance(text, str) and _words(text) and not _CODE.match(text):
                    found.append((lit.lineno, text))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = [k.value for k in node.keywords if k.arg == "error_messages"]
        if name in _ADDERS:  # add("field", "message"), form.add_error("field", "message")
            args += list(node.args[1:2])
        elif name in {"append", "extend"} and isinstance(node.func, ast.Attribute):
            if _is_errors(node.func.value):
                args += list(node.args)
        elif name in _ERRORS:
            args += [
                *node.args,
                *(k.value for k in node.keywords if k.arg in {"message", "detail"}),
            ]
        elif (
            name in _MESSAGES
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "messages"
        ):
            args += list(node.args[1:2])
        for arg in args:
            for lit in _literals(arg):
                text = lit.value if isinstance(lit, ast.Constant) else _fixed_text(lit)
                if isinstance(text, str) and _words(text) and not _CODE.match(text):
                    found.append((lit.lineno, text))
    return found


def unmarked_in_python() -> Iterator[tuple[str, str]]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "settings" in path.parts:
                continue
            for line, text in python_strings(path.read_text()):
                yield f"{path.relative_to(ROOT)}:{line}", text
