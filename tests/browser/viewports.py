"""The two widths the pages are tried at: a phone (with touch) and a desktop."""

PHONE = {"width": 390, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
