"""English date formats: one long date everywhere ("24 December 2026"), in tables, sentences,
emails and the PDF alike (imaportal.formatting). Django's own English formats mix
"Dec. 24, 2026" and "12/24/2026"; IMA's member communications write the day first."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
