"""The API's JSON parser: deeply nested JSON is a 400 "JSON nested too deeply", never a
crash (Python's decoder raises ``RecursionError`` around 1,000 levels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of the API nests deeper than a few levels; 32 leaves ample room.
MAX_JSON_DEPTH = 32
TOO_DEEP = f"JSON parse error - JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)."


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects in ``data`` nest deeper than ``limit`` (iterative)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
