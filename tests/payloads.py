"""Request bodies the API and page tests share: a valid seminar entry as JSON and as a
browser form, and the smallest file that passes the evidence check as a PDF."""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SEMINAR = {
    "activity_type": "short_course",
    "title": "IFRS update seminar",
    "provider": "CPA Academy",
    "completed_on": "2026-05-04",
    "has_instructor": True,
    "has_formal_materials": True,
    "minutes": 390,
    "full_day_days": 1,
    "ethics": False,
}

FORM = {
    "activity_type": "short_course",
    "title": "Budgeting masterclass",
    "provider": "Finance Academy",
    "completed_on": "2026-04-20",
    "has_instructor": "on",
    "has_formal_materials": "on",
    "minutes": "400",
    "full_day_days": "1",
}
