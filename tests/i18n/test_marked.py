"""Every user-visible string is marked for translation (issue 17): the finder in
``tests/i18n/unmarked.py`` looks at every template and at the messages and errors the
Python code raises; a test of the finder itself proves it would see an unmarked string."""

from __future__ import annotations

from tests.i18n.unmarked import (
    python_strings,
    template_strings,
    unmarked_in_python,
    unmarked_in_templates,
)


def test_no_template_shows_an_unmarked_string() -> None:
    found = [f"{where}: {text!r}" for where, text in unmarked_in_templates()]
    assert found == [], "mark these for translation:\n" + "\n".join(found)


def test_no_python_message_or_error_is_unmarked() -> None:
    found = [f"{where}: {text!r}" for where, text in unmarked_in_python()]
    assert found == [], "wrap these in gettext:\n" + "\n".join(found)


def test_the_template_finder_sees_text_attributes_and_ignores_marked_text() -> None:
    source = (
        '<h1>Hello world</h1><img alt="A chart of hours"><td data-label="Price">'
        "{% translate 'Marked' %}{% blocktranslate %}Also marked{% endblocktranslate %}"
        "{{ variable }}<script>let x = 'not for readers';</script>{# a comment #}"
        "<span>CPE · IMA</span>"
    )
    assert sorted(template_strings(source)) == ["A chart of hours", "Hello world", "Price"]


def test_the_python_finder_sees_plain_and_f_strings_but_not_gettext() -> None:
    source = (
        "from django.utils.translation import gettext as _\n"
        "raise InvalidInput({'field': ['Plain words here.']})\n"
        "raise Conflict(f'This entry is {state}, not pending.')\n"
        "raise Conflict(_('Marked words.'))\n"
        "messages.success(request, 'Saved it.')\n"
        "messages.success(request, _('Saved, marked.') % {'n': LIMITS['some_key']})\n"
        "errors['title'] = ['Enter a title.']\n"
        "errors.append(f'Line {n}: no member.')\n"
        "add('title', 'Enter the title.')\n"
        "form.add_error('file', _('Marked.'))\n"
    )
    found = [text for _, text in python_strings(source)]
    assert sorted(found) == [
        "Enter a title.",
        "Enter the title.",
        "Line  : no member.",
        "Plain words here.",
        "Saved it.",
        "This entry is  , not pending.",
    ]
