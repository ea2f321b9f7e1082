"""The PDF transcript: a tagged PDF (``tagged``) laid out by ``layout`` in the fonts of
``fonts`` (with the CJK fallback of ``cjk``); ``transcript`` is the document itself and
``summary`` the status values it is given."""
