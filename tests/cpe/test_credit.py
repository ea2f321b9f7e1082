"""SPEC section 2 (CPE credit rules) pinned through ``cpe.credit``: pure tests, no database.

Every figure below is the one SPEC section 2 gives (or follows from it with the default
policy of section 7); the property-based tests at the end check the invariants for random
valid inputs of every activity type."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpe.credit import (
    ActivityInput,
    CreditRefused,
    CreditResult,
    PriorEntry,
    PublicationKind,
    PublicationStatus,
    check_offering,
    compute_credit,
)
from policy.rules import DEFAULT_POLICY, Policy, policy_for_year

D = Decimal
TODAY = dt.date(2026, 11, 24)
ON = dt.date(2026, 6, 1)  # default completion date of the entry under test
TITLE = "Budgeting for Managers"

UNIVERSITY_COURSE = "university_course"
SHORT_COURSE = "short_course"
SELF_STUDY = "self_study"
ASSOCIATION_MEETING = "association_meeting"
PRESENTATION = "presentation"
UNIVERSITY_TEACHING = "university_teaching"
CERTIFICATION_EXAM = "certification_exam"
SOFTWARE_CERTIFICATION_EXAM = "software_certification_exam"
PUBLICATION = "publication"
ON_THE_JOB_TRAINING = "on_the_job_training"

COURSE_TYPES = (UNIVERSITY_COURSE, SHORT_COURSE, SELF_STUDY, ASSOCIATION_MEETING)
ACTIVITY_TYPES = (
    *COURSE_TYPES,
    PRESENTATION,
    UNIVERSITY_TEACHING,
    CERTIFICATION_EXAM,
    SOFTWARE_CERTIFICATION_EXAM,
    PUBLICATION,
)

# A valid set of type-specific fields for each activity type.
VALID: dict[str, dict[str, Any]] = {
    UNIVERSITY_COURSE: {"semester_credit_hours": D("3")},
    SHORT_COURSE: {"minutes": 100},
    SELF_STUDY: {"recommended_hours": D("2")},
    ASSOCIATION_MEETING: {"minutes": 100},
    PRESENTATION: {"minutes": 100},
    UNIVERSITY_TEACHING: {"weeks": 15, "course_credit_hours": D("3")},
    CERTIFICATION_EXAM: {"exam_name": "CMA Part 1", "exam_hours": D("4")},
    SOFTWARE_CERTIFICATION_EXAM: {"recommended_hours": D("3")},
    PUBLICATION: {
        "publication_kind": "article",
        "publication_status": "published",
        "claimed_hours": D("5"),
    },
}


def entry(activity_type: str, **fields: Any) -> ActivityInput:
    """An activity with a title, a past completion date, an instructor and formal
    materials, plus ``fields``."""
    values: dict[str, Any] = {
        "title": TITLE,
        "completed_on": ON,
        "has_instructor": True,
        "has_formal_materials": True,
    }
    values.update(fields)
    return ActivityInput(activity_type=activity_type, **values)


def result(
    activity_type: str,
    *,
    prior: tuple[PriorEntry, ...] | list[PriorEntry] = (),
    policy: Policy = DEFAULT_POLICY,
    **fields: Any,
) -> CreditResult:
    return compute_credit(entry(activity_type, **fields), prior=prior, policy=policy, today=TODAY)


def hours(activity_type: str, **kwargs: Any) -> Decimal:
    return result(activity_type, **kwargs).credit_hours


def refusal(activity_type: str, **kwargs: Any) -> dict[str, list[str]]:
    """The errors per field of an activity that ``compute_credit`` refuses."""
    with pytest.raises(CreditRefused) as info:
        result(activity_type, **kwargs)
    return info.value.errors


def earlier(
    activity_type: str,
    *,
    on: dt.date,
    credit: str,
    title: str = TITLE,
    entry_id: int = 1,
    rejected: bool = False,
    review_course_for: str = "",
    rule: str = "",
) -> PriorEntry:
    """Another entry of the same member (``rule``: the rule it was credited under)."""
    return PriorEntry(
        id=entry_id,
        activity_type=activity_type,
        title=title,
        completed_on=on,
        credit_hours=D(credit),
        rejected=rejected,
        review_course_for=review_course_for,
        rule=rule,
    )


# --- 50-minute hour -------------------------------------------------------------------


@pytest.mark.parametrize("activity_type", [ASSOCIATION_MEETING, SHORT_COURSE])
@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0.0"),
        (49, "0.0"),
        (50, "1.0"),
        (74, "1.0"),
        (75, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (125, "2.5"),
    ],
)
def test_fifty_minute_hour_rounds_down_to_the_nearest_half(activity_type, minutes, expected):
    assert hours(activity_type, minutes=minutes) == D(expected)


# --- short_course full-day rule -------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "full_day_days", "expected"),
    [
        (389, 1, "7.5"),  # under 390 minutes: the full-day rule does not apply, no error
        (390, 1, "8.0"),
        (779, 2, "15.5"),
        (780, 2, "16.0"),
        (900, 2, "18.0"),  # the 50-minute hour (900 / 50 = 18) is higher than 2 × 8
        (390, 0, "7.5"),
        (390, None, "7.5"),
    ],
)
def test_short_course_full_day_rule(minutes, full_day_days, expected):
    assert hours(SHORT_COURSE, minutes=minutes, full_day_days=full_day_days) == D(expected)


# --- university_course ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"semester_credit_hours": D("3")}, "45.0"),
        ({"quarter_credit_hours": D("4")}, "40.0"),
        ({"minutes": 120}, "2.0"),
        ({"semester_credit_hours": D("2.5")}, "37.5"),
    ],
)
def test_university_course_credit(fields, expected):
    assert hours(UNIVERSITY_COURSE, **fields) == D(expected)


def test_university_course_without_any_of_the_three_inputs_names_them_all():
    errors = refusal(UNIVERSITY_COURSE)
    assert {"semester_credit_hours", "quarter_credit_hours", "minutes"} <= set(errors)


@pytest.mark.parametrize(
    "fields",
    [
        {"semester_credit_hours": D("3"), "quarter_credit_hours": D("4")},
        {"semester_credit_hours": D("3"), "minutes": 120},
        {"quarter_credit_hours": D("4"), "minutes": 120},
        {"semester_credit_hours": D("3"), "quarter_credit_hours": D("4"), "minutes": 120},
    ],
    ids=["semester+quarter", "semester+minutes", "quarter+minutes", "all-three"],
)
def test_university_course_with_several_inputs_names_them(fields):
    errors = refusal(UNIVERSITY_COURSE, **fields)
    assert set(fields) <= set(errors)


# --- course qualification -------------------------------------------------------------


@pytest.mark.parametrize("activity_type", COURSE_TYPES)
@pytest.mark.parametrize(
    "missing",
    [("has_instructor",), ("has_formal_materials",), ("has_instructor", "has_formal_materials")],
    ids=["no-instructor", "no-materials", "neither"],
)
def test_course_without_instructor_or_formal_materials_is_refused(activity_type, missing):
    fields = {**VALID[activity_type], **dict.fromkeys(missing, False)}
    errors = refusal(activity_type, **fields)
    assert set(missing) <= set(errors)


@pytest.mark.parametrize("activity_type", COURSE_TYPES)
def test_course_with_instructor_and_formal_materials_qualifies(activity_type):
    assert hours(activity_type, **VALID[activity_type]) > 0


@pytest.mark.parametrize(
    "activity_type",
    [
        PRESENTATION,
        UNIVERSITY_TEACHING,
        CERTIFICATION_EXAM,
        SOFTWARE_CERTIFICATION_EXAM,
        PUBLICATION,
    ],
)
def test_non_course_types_need_no_instructor_or_materials(activity_type):
    fields = {**VALID[activity_type], "has_instructor": False, "has_formal_materials": False}
    assert hours(activity_type, **fields) > 0


def test_on_the_job_training_is_refused_with_a_clear_message():
    errors = refusal(ON_THE_JOB_TRAINING, minutes=480)
    assert "activity_type" in errors
    assert "on-the-job training" in " ".join(errors["activity_type"]).lower()


def test_unknown_activity_type_is_refused():
    assert "activity_type" in refusal("coffee_break", minutes=60)


# --- recommended hours ----------------------------------------------------------------


@pytest.mark.parametrize("activity_type", [SELF_STUDY, SOFTWARE_CERTIFICATION_EXAM])
@pytest.mark.parametrize(
    ("recommended", "expected"),
    [("2.25", "2.2"), ("2.29", "2.2"), ("3", "3.0"), ("0.05", "0.0"), ("12.5", "12.5")],
)
def test_recommended_hours_round_down_to_a_tenth(activity_type, recommended, expected):
    assert hours(activity_type, recommended_hours=D(recommended)) == D(expected)


# --- presentation ---------------------------------------------------------------------


def first_presentation(on: dt.date = dt.date(2025, 3, 1), **kwargs: Any) -> PriorEntry:
    return earlier(PRESENTATION, on=on, credit="4.0", rule="presentation_first", **kwargs)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(100, "4.0"), (60, "2.0"), (75, "3.0"), (49, "0.0")]
)
def test_first_presentation_doubles_the_rounded_fifty_minute_hours(minutes, expected):
    assert hours(PRESENTATION, minutes=minutes) == D(expected)


def test_unrevised_repeat_presentation_earns_nothing_and_says_why():
    got = result(
        PRESENTATION,
        minutes=100,
        first_presentation=False,
        prior=[first_presentation(title=TITLE.upper())],
    )
    assert got.credit_hours == D("0.0")
    assert got.reasons


def test_substantially_revised_repeat_presentation_earns_single_credit():
    prior = [first_presentation(title=TITLE.lower())]
    assert hours(PRESENTATION, minutes=100, substantially_revised=True, prior=prior) == D("2.0")


def test_second_revised_repeat_in_the_same_calendar_year_earns_nothing():
    prior = [
        first_presentation(on=dt.date(2025, 3, 1), entry_id=1),
        earlier(
            PRESENTATION,
            on=dt.date(2026, 2, 1),
            credit="2.0",
            entry_id=2,
            rule="presentation_repeat",
        ),
    ]
    assert hours(PRESENTATION, minutes=100, substantially_revised=True, prior=prior) == D("0.0")


def test_revised_repeat_in_the_next_calendar_year_is_credited_again():
    prior = [
        first_presentation(on=dt.date(2024, 3, 1), entry_id=1),
        earlier(
            PRESENTATION,
            on=dt.date(2025, 2, 1),
            credit="2.0",
            entry_id=2,
            rule="presentation_repeat",
        ),
    ]
    assert hours(PRESENTATION, minutes=100, substantially_revised=True, prior=prior) == D("2.0")


def test_revised_repeat_earns_nothing_when_its_year_already_has_a_credited_repeat_dated_later():
    # SPEC: only one repeat of the same program per calendar year, whatever the order in
    # which the member reports them.
    prior = [
        first_presentation(on=dt.date(2025, 3, 1), entry_id=1),
        earlier(
            PRESENTATION,
            on=dt.date(2026, 9, 1),
            credit="2.0",
            entry_id=2,
            rule="presentation_repeat",
        ),
    ]
    credit = hours(
        PRESENTATION,
        minutes=100,
        substantially_revised=True,
        completed_on=dt.date(2026, 3, 1),
        prior=prior,
    )
    assert credit == D("0.0")


def test_first_presentation_in_the_same_year_does_not_use_up_the_years_repeat():
    prior = [first_presentation(on=dt.date(2026, 1, 15))]
    assert hours(PRESENTATION, minutes=100, substantially_revised=True, prior=prior) == D("2.0")


def test_uncredited_repeat_does_not_use_up_the_years_repeat():
    prior = [
        first_presentation(on=dt.date(2025, 3, 1), entry_id=1),
        earlier(PRESENTATION, on=dt.date(2026, 2, 1), credit="0.0", entry_id=2),
    ]
    assert hours(PRESENTATION, minutes=100, substantially_revised=True, prior=prior) == D("2.0")


@pytest.mark.parametrize(
    "prior_entry",
    [
        earlier(PRESENTATION, on=dt.date(2025, 3, 1), credit="4.0", rejected=True),
        earlier(PRESENTATION, on=dt.date(2025, 3, 1), credit="0.0"),
    ],
    ids=["rejected", "zero-credit"],
)
def test_uncredited_earlier_presentation_does_not_make_a_repeat(prior_entry):
    assert hours(PRESENTATION, minutes=100, prior=[prior_entry]) == D("4.0")


def test_earlier_presentation_of_another_title_does_not_make_a_repeat():
    prior = [first_presentation(title="Ethics in Practice")]
    assert hours(PRESENTATION, minutes=100, prior=prior) == D("4.0")


@pytest.mark.parametrize(("revised", "expected"), [(False, "0.0"), (True, "2.0")])
def test_earlier_credited_presentation_makes_a_repeat_whatever_first_presentation_says(
    revised, expected
):
    credit = hours(
        PRESENTATION,
        minutes=100,
        first_presentation=True,
        substantially_revised=revised,
        prior=[first_presentation()],
    )
    assert credit == D(expected)


# --- university_teaching --------------------------------------------------------------

TEACHING: dict[str, Any] = {"weeks": 15, "course_credit_hours": D("3")}


def earlier_teaching(on: dt.date, **kwargs: Any) -> PriorEntry:
    kwargs.setdefault("credit", "45.0")
    return earlier(UNIVERSITY_TEACHING, on=on, **kwargs)


def test_first_time_teaching_earns_weeks_times_course_credit_hours():
    assert hours(UNIVERSITY_TEACHING, **TEACHING) == D("45.0")


def test_teaching_weeks_times_hours_rounds_down_to_a_tenth():
    assert hours(UNIVERSITY_TEACHING, weeks=15, course_credit_hours=D("2.25")) == D("33.7")


def test_teaching_same_course_within_three_years_earns_nothing_and_says_why():
    got = result(
        UNIVERSITY_TEACHING,
        **TEACHING,
        completed_on=dt.date(2026, 6, 1),
        prior=[earlier_teaching(dt.date(2024, 9, 1), title=TITLE.upper())],
    )
    assert got.credit_hours == D("0.0")
    assert got.reasons


def test_teaching_same_course_exactly_three_years_later_is_credited():
    prior = [earlier_teaching(dt.date(2023, 6, 1))]
    credit = hours(UNIVERSITY_TEACHING, **TEACHING, completed_on=dt.date(2026, 6, 1), prior=prior)
    assert credit == D("45.0")


def test_teaching_same_course_one_day_short_of_three_years_earns_nothing():
    prior = [earlier_teaching(dt.date(2023, 6, 2))]
    credit = hours(UNIVERSITY_TEACHING, **TEACHING, completed_on=dt.date(2026, 6, 1), prior=prior)
    assert credit == D("0.0")


def test_three_years_count_from_the_last_credited_teaching():
    prior = [
        earlier_teaching(dt.date(2025, 1, 10), entry_id=2),
        earlier_teaching(dt.date(2020, 1, 10), entry_id=1),
    ]
    credit = hours(UNIVERSITY_TEACHING, **TEACHING, completed_on=dt.date(2026, 6, 1), prior=prior)
    assert credit == D("0.0")


def test_substantially_changed_course_is_credited_within_three_years():
    prior = [earlier_teaching(dt.date(2025, 9, 1))]
    credit = hours(UNIVERSITY_TEACHING, **TEACHING, substantially_changed=True, prior=prior)
    assert credit == D("45.0")


@pytest.mark.parametrize(
    "prior_entry",
    [
        earlier(UNIVERSITY_TEACHING, on=dt.date(2025, 9, 1), credit="45.0", rejected=True),
        earlier(UNIVERSITY_TEACHING, on=dt.date(2025, 9, 1), credit="0.0"),
    ],
    ids=["rejected", "zero-credit"],
)
def test_uncredited_earlier_teaching_does_not_count(prior_entry):
    assert hours(UNIVERSITY_TEACHING, **TEACHING, prior=[prior_entry]) == D("45.0")


def test_earlier_credited_teaching_makes_a_repeat_whatever_first_time_says():
    prior = [earlier_teaching(dt.date(2025, 9, 1))]
    assert hours(UNIVERSITY_TEACHING, **TEACHING, first_time=True, prior=prior) == D("0.0")


# --- certification_exam ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("exam_hours", "expected"), [("4", "40.0"), ("2.5", "25.0"), ("1.25", "12.5"), ("0.33", "3.3")]
)
def test_certification_exam_earns_ten_per_exam_hour(exam_hours, expected):
    credit = hours(CERTIFICATION_EXAM, exam_name="CMA Part 1", exam_hours=D(exam_hours))
    assert credit == D(expected)


def review_course(activity_type: str = SELF_STUDY, **kwargs: Any) -> PriorEntry:
    kwargs.setdefault("review_course_for", "cma part 1")
    return earlier(
        activity_type,
        on=dt.date(2026, 1, 10),
        credit="20.0",
        title="Gleim CMA Review Part 1",
        entry_id=42,
        **kwargs,
    )


@pytest.mark.parametrize("activity_type", COURSE_TYPES)
def test_certification_exam_after_its_review_course_is_refused_naming_the_course(activity_type):
    errors = refusal(
        CERTIFICATION_EXAM,
        exam_name="CMA Part 1",
        exam_hours=D("4"),
        prior=[review_course(activity_type)],
    )
    assert set(errors) == {"exam_name"}
    message = " ".join(errors["exam_name"])
    assert "Gleim CMA Review Part 1" in message
    assert "42" in message


def test_certification_exam_is_refused_even_when_the_review_course_earned_nothing():
    errors = refusal(
        CERTIFICATION_EXAM,
        exam_name="CMA Part 1",
        exam_hours=D("4"),
        prior=[
            earlier(
                SELF_STUDY,
                on=dt.date(2026, 1, 10),
                credit="0.0",
                review_course_for="CMA Part 1",
            )
        ],
    )
    assert "exam_name" in errors


def test_review_course_for_another_exam_does_not_block_the_exam():
    prior = [review_course(review_course_for="CMA Part 2")]
    credit = hours(CERTIFICATION_EXAM, exam_name="CMA Part 1", exam_hours=D("4"), prior=prior)
    assert credit == D("40.0")


def test_rejected_review_course_does_not_block_the_exam():
    prior = [review_course(rejected=True)]
    credit = hours(CERTIFICATION_EXAM, exam_name="CMA Part 1", exam_hours=D("4"), prior=prior)
    assert credit == D("40.0")


# --- publication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "claimed", "expected"),
    [
        ("article", "published", "10", "6.0"),
        ("article", "published", "4", "4.0"),
        ("book", "published", "30", "20.0"),
        ("monograph", "published", "5", "5.0"),
        ("monograph", "published", "25", "20.0"),
        ("article", "submitted_not_accepted", "10", "3.0"),
        ("article", "submitted_not_accepted", "5", "2.5"),
        ("book", "submitted_not_accepted", "30", "10.0"),
        ("article", "published", "2.25", "2.2"),
        ("article", "submitted_not_accepted", "4.5", "2.2"),
    ],
)
def test_publication_credit_is_claimed_hours_capped(kind, status, claimed, expected):
    credit = hours(
        PUBLICATION, publication_kind=kind, publication_status=status, claimed_hours=D(claimed)
    )
    assert credit == D(expected)


def test_publication_credited_once_is_never_credited_again():
    prior = [earlier(PUBLICATION, on=dt.date(2025, 5, 1), credit="3.0", title=TITLE.upper())]
    credit = hours(
        PUBLICATION,
        publication_kind="article",
        publication_status="published",
        claimed_hours=D("10"),
        prior=prior,
    )
    assert credit == D("0.0")


def test_publication_credited_once_is_never_credited_again_even_when_dated_later():
    # The published version (credited) was reported first; the submitted version of the
    # same item, completed earlier, is reported afterwards.
    prior = [earlier(PUBLICATION, on=dt.date(2026, 5, 1), credit="6.0")]
    credit = hours(
        PUBLICATION,
        publication_kind="article",
        publication_status="submitted_not_accepted",
        claimed_hours=D("10"),
        completed_on=dt.date(2026, 1, 1),
        prior=prior,
    )
    assert credit == D("0.0")


def test_rejected_earlier_publication_does_not_block_credit():
    prior = [earlier(PUBLICATION, on=dt.date(2025, 5, 1), credit="6.0", rejected=True)]
    credit = hours(
        PUBLICATION,
        publication_kind="article",
        publication_status="published",
        claimed_hours=D("10"),
        prior=prior,
    )
    assert credit == D("6.0")


def test_unknown_publication_kind_is_refused():
    fields = {**VALID[PUBLICATION], "publication_kind": "poem"}
    assert "publication_kind" in refusal(PUBLICATION, **fields)


# --- input checks ---------------------------------------------------------------------


def test_future_completion_date_is_refused():
    errors = refusal(SHORT_COURSE, minutes=100, completed_on=TODAY + dt.timedelta(days=1))
    assert "completed_on" in errors


def test_completion_today_is_accepted():
    assert hours(SHORT_COURSE, minutes=100, completed_on=TODAY) == D("2.0")


@pytest.mark.parametrize(
    ("activity_type", "name", "value"),
    [
        (SHORT_COURSE, "minutes", -1),
        (SHORT_COURSE, "minutes", 10_000_000),
        (SHORT_COURSE, "full_day_days", -1),
        (ASSOCIATION_MEETING, "minutes", -50),
        (PRESENTATION, "minutes", 10_000_000),
        (UNIVERSITY_COURSE, "semester_credit_hours", D("-3")),
        (UNIVERSITY_COURSE, "semester_credit_hours", D("9999")),
        (SELF_STUDY, "recommended_hours", D("-1")),
        (SELF_STUDY, "recommended_hours", D("100000")),
        (UNIVERSITY_TEACHING, "weeks", -1),
        (UNIVERSITY_TEACHING, "weeks", 1000),
        (CERTIFICATION_EXAM, "exam_hours", D("-2")),
        (PUBLICATION, "claimed_hours", D("-5")),
        (PUBLICATION, "claimed_hours", D("1000000")),
    ],
)
def test_negative_or_absurd_value_is_refused_on_its_field(activity_type, name, value):
    errors = refusal(activity_type, **{**VALID[activity_type], name: value})
    assert name in errors


@pytest.mark.parametrize(
    ("activity_type", "missing"),
    [
        (SHORT_COURSE, ("minutes",)),
        (ASSOCIATION_MEETING, ("minutes",)),
        (PRESENTATION, ("minutes",)),
        (SELF_STUDY, ("recommended_hours",)),
        (SOFTWARE_CERTIFICATION_EXAM, ("recommended_hours",)),
        (UNIVERSITY_TEACHING, ("weeks", "course_credit_hours")),
        (UNIVERSITY_TEACHING, ("course_credit_hours",)),
        (CERTIFICATION_EXAM, ("exam_name", "exam_hours")),
        (PUBLICATION, ("publication_kind", "publication_status", "claimed_hours")),
        (PUBLICATION, ("claimed_hours",)),
    ],
)
def test_missing_required_fields_are_named(activity_type, missing):
    fields = {k: v for k, v in VALID[activity_type].items() if k not in missing}
    errors = refusal(activity_type, **fields)
    assert set(missing) <= set(errors)


# --- offerings ------------------------------------------------------------------------


def test_recorded_webinar_with_cpe_hours_is_refused():
    with pytest.raises(CreditRefused) as info:
        check_offering(kind="recorded_webinar", cpe_hours=D("1.0"))
    assert "cpe_hours" in info.value.errors


@pytest.mark.parametrize(
    ("kind", "cpe_hours"),
    [("recorded_webinar", "0"), ("live_event", "2"), ("self_study", "3.5"), ("conference", "16")],
)
def test_offering_with_allowed_cpe_hours_passes(kind, cpe_hours):
    check_offering(kind=kind, cpe_hours=D(cpe_hours))


# --- policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "activity_type", "fields", "default", "changed"),
    [
        (
            {"article_cap": D("8")},
            PUBLICATION,
            {**VALID[PUBLICATION], "claimed_hours": D("10")},
            "6.0",
            "8.0",
        ),
        (
            {"full_day_credit": D("9")},
            SHORT_COURSE,
            {"minutes": 390, "full_day_days": 1},
            "8.0",
            "9.0",
        ),
        ({"minutes_per_credit": 60}, ASSOCIATION_MEETING, {"minutes": 100}, "2.0", "1.5"),
        (
            {"semester_hour_credit": D("16")},
            UNIVERSITY_COURSE,
            VALID[UNIVERSITY_COURSE],
            "45.0",
            "48.0",
        ),
        (
            {"exam_hour_credit": D("12")},
            CERTIFICATION_EXAM,
            VALID[CERTIFICATION_EXAM],
            "40.0",
            "48.0",
        ),
        ({"presentation_first_multiplier": D("3")}, PRESENTATION, {"minutes": 100}, "4.0", "6.0"),
    ],
)
def test_changed_policy_value_changes_the_credit(change, activity_type, fields, default, changed):
    policy = DEFAULT_POLICY.replace(**change)
    assert hours(activity_type, **fields) == D(default)
    assert hours(activity_type, **fields, policy=policy) == D(changed)


def test_changed_teaching_repeat_years_changes_the_repeat_rule():
    prior = [earlier_teaching(dt.date(2024, 6, 1))]
    policy = DEFAULT_POLICY.replace(teaching_repeat_years=2)
    assert hours(UNIVERSITY_TEACHING, **TEACHING, prior=prior) == D("0.0")
    assert hours(UNIVERSITY_TEACHING, **TEACHING, prior=prior, policy=policy) == D("45.0")


POLICY_2025 = DEFAULT_POLICY.replace(effective_from=2025, article_cap=D("7"))
POLICY_2027 = DEFAULT_POLICY.replace(effective_from=2027, article_cap=D("8"))


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, DEFAULT_POLICY),
        (2025, POLICY_2025),
        (2026, POLICY_2025),
        (2027, POLICY_2027),
        (2030, POLICY_2027),
    ],
)
@pytest.mark.parametrize("order", ["ascending", "descending"])
def test_policy_for_year_picks_the_latest_version_in_force(year, expected, order):
    versions = [POLICY_2025, POLICY_2027]
    if order == "descending":
        versions.reverse()
    assert policy_for_year(year, versions) == expected


def test_policy_for_year_without_versions_is_the_default():
    assert policy_for_year(2026) == DEFAULT_POLICY


# --- properties -----------------------------------------------------------------------

PROPERTY = settings(deadline=None, database=None, max_examples=200)
MAX_MINUTES = 60 * 24 * 60
CAPS = {"article": D("6"), "book": D("20"), "monograph": D("20")}

dates = st.dates(min_value=dt.date(2018, 1, 1), max_value=TODAY)
titles = st.sampled_from([TITLE, TITLE.upper(), "Ethics in Practice"])
minutes = st.one_of(st.integers(0, 2_000), st.integers(0, MAX_MINUTES))


def decimals(max_value: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=max_value, places=2)


def activities(activity_type: str, **specific: st.SearchStrategy[Any]):
    return st.builds(
        ActivityInput,
        activity_type=st.just(activity_type),
        title=titles,
        completed_on=dates,
        has_instructor=st.just(True),
        has_formal_materials=st.just(True),
        ethics=st.booleans(),
        review_course_for=st.sampled_from(["", "CMA Part 1"]),
        **specific,
    )


VALID_ACTIVITIES = {
    UNIVERSITY_COURSE: st.one_of(
        activities(UNIVERSITY_COURSE, semester_credit_hours=decimals(30)),
        activities(UNIVERSITY_COURSE, quarter_credit_hours=decimals(45)),
        activities(UNIVERSITY_COURSE, minutes=minutes),
    ),
    SHORT_COURSE: activities(
        SHORT_COURSE, minutes=minutes, full_day_days=st.one_of(st.none(), st.integers(0, 60))
    ),
    SELF_STUDY: activities(SELF_STUDY, recommended_hours=decimals(500)),
    ASSOCIATION_MEETING: activities(ASSOCIATION_MEETING, minutes=minutes),
    PRESENTATION: activities(
        PRESENTATION,
        minutes=minutes,
        first_presentation=st.booleans(),
        substantially_revised=st.booleans(),
    ),
    UNIVERSITY_TEACHING: activities(
        UNIVERSITY_TEACHING,
        weeks=st.integers(0, 52),
        course_credit_hours=decimals(20),
        first_time=st.booleans(),
        substantially_changed=st.booleans(),
    ),
    CERTIFICATION_EXAM: activities(
        CERTIFICATION_EXAM,
        exam_name=st.sampled_from(["CMA Part 1", "CMA Part 2"]),
        exam_hours=decimals(40),
    ),
    SOFTWARE_CERTIFICATION_EXAM: activities(
        SOFTWARE_CERTIFICATION_EXAM, recommended_hours=decimals(500)
    ),
    PUBLICATION: activities(
        PUBLICATION,
        publication_kind=st.sampled_from([k.value for k in PublicationKind]),
        publication_status=st.sampled_from([s.value for s in PublicationStatus]),
        claimed_hours=decimals(1000),
    ),
}
any_activity = st.one_of(*VALID_ACTIVITIES.values())


def prior_entries_of(activity_types: tuple[str, ...]) -> st.SearchStrategy[list[PriorEntry]]:
    """Other entries of the member, of ``activity_types``, often of the same program."""
    return st.lists(
        st.builds(
            PriorEntry,
            id=st.integers(1, 10_000),
            activity_type=st.sampled_from(activity_types),
            title=titles,
            completed_on=dates,
            credit_hours=st.decimals(min_value=0, max_value=60, places=1),
            rejected=st.booleans(),
            review_course_for=st.sampled_from(["", "CMA Part 1", "cma part 2"]),
        ),
        max_size=8,
        unique_by=lambda p: p.id,
    )


prior_entries = prior_entries_of(ACTIVITY_TYPES)


def outcome(activity: ActivityInput, prior: list[PriorEntry]) -> tuple[object, ...]:
    """What ``compute_credit`` decides, comparable across calls."""
    try:
        got = compute_credit(activity, prior=prior, policy=DEFAULT_POLICY, today=TODAY)
    except CreditRefused as refused:
        return ("refused", frozenset(refused.errors))
    return ("credit", got.credit_hours, got.rule, got.reasons)


def test_every_activity_type_has_a_strategy():
    assert set(VALID_ACTIVITIES) == set(ACTIVITY_TYPES) == set(VALID)


@PROPERTY
@given(activity=any_activity, prior=prior_entries)
def test_credit_is_never_negative_and_has_exactly_one_decimal_place(activity, prior):
    try:
        got = compute_credit(activity, prior=prior, policy=DEFAULT_POLICY, today=TODAY)
    except CreditRefused as refused:
        # The only refusal of a valid input: an exam whose review course was reported.
        assert activity.activity_type == CERTIFICATION_EXAM
        assert set(refused.errors) == {"exam_name"}
        return
    credit = got.credit_hours
    assert isinstance(credit, Decimal)
    assert credit >= 0
    assert credit == credit.quantize(D("0.1"))
    assert credit.as_tuple().exponent == -1


@PROPERTY
@given(activity=VALID_ACTIVITIES[PUBLICATION], prior=prior_entries)
def test_publication_credit_never_exceeds_its_cap(activity, prior):
    cap = CAPS[activity.publication_kind]
    if activity.publication_status == "submitted_not_accepted":
        cap = cap / 2
    credit = compute_credit(activity, prior=prior, policy=DEFAULT_POLICY, today=TODAY)
    assert credit.credit_hours <= cap


@PROPERTY
@given(activity=any_activity, prior=prior_entries, data=st.data())
def test_credit_does_not_depend_on_the_order_of_prior_entries(activity, prior, data):
    shuffled = data.draw(st.permutations(prior))
    assert outcome(activity, prior) == outcome(activity, shuffled)
    assert outcome(activity, prior) == outcome(activity, prior[::-1])


@pytest.mark.parametrize(
    ("activity_type", "prior_types"),
    [
        (PRESENTATION, (PRESENTATION,)),
        (UNIVERSITY_TEACHING, (UNIVERSITY_TEACHING,)),
        (PUBLICATION, (PUBLICATION,)),
        (CERTIFICATION_EXAM, COURSE_TYPES),
    ],
)
@PROPERTY
@given(data=st.data())
def test_repeat_and_conflict_rules_do_not_depend_on_the_order_of_prior_entries(
    activity_type, prior_types, data
):
    activity = data.draw(VALID_ACTIVITIES[activity_type], label="activity")
    prior = data.draw(prior_entries_of(prior_types), label="prior")
    shuffled = data.draw(st.permutations(prior), label="shuffled")
    assert outcome(activity, prior) == outcome(activity, shuffled)
    assert outcome(activity, prior) == outcome(activity, prior[::-1])


def assert_monotone_in_minutes(activity_type: str, a: int, b: int, **fields: Any) -> None:
    low, high = sorted((a, b))
    assert hours(activity_type, minutes=low, **fields) <= hours(
        activity_type, minutes=high, **fields
    )


@PROPERTY
@given(a=minutes, b=minutes)
def test_short_course_without_full_days_is_monotone_in_minutes(a, b):
    assert_monotone_in_minutes(SHORT_COURSE, a, b)


@PROPERTY
@given(a=minutes, b=minutes, days=st.integers(1, 60))
def test_short_course_with_full_days_is_monotone_in_minutes(a, b, days):
    assert_monotone_in_minutes(SHORT_COURSE, a, b, full_day_days=days)


@PROPERTY
@given(a=minutes, b=minutes)
def test_association_meeting_is_monotone_in_minutes(a, b):
    assert_monotone_in_minutes(ASSOCIATION_MEETING, a, b)


@PROPERTY
@given(a=minutes, b=minutes)
def test_first_presentation_is_monotone_in_minutes(a, b):
    assert_monotone_in_minutes(PRESENTATION, a, b, first_presentation=True)


@PROPERTY
@given(a=minutes, b=minutes)
def test_non_credit_university_course_is_monotone_in_minutes(a, b):
    assert_monotone_in_minutes(UNIVERSITY_COURSE, a, b)


def test_revised_repeats_without_an_original_on_record_still_count_once_a_year():
    # The member says it is a repeat (first_presentation=False): the first revised one of
    # the year counts, a second in the same year does not.
    first_repeat = result(
        PRESENTATION, minutes=100, first_presentation=False, substantially_revised=True
    )
    assert first_repeat.credit_hours == D("2.0")
    prior = [
        earlier(
            PRESENTATION, on=TODAY - dt.timedelta(days=30), credit="2.0", rule=first_repeat.rule
        )
    ]
    assert hours(
        PRESENTATION,
        minutes=100,
        first_presentation=False,
        substantially_revised=True,
        prior=prior,
    ) == D("0.0")
