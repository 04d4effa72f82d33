"""Arabic first: every string translated, Arabic unless English is chosen."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale/ar/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def arabic_messages():
    with CATALOGUE.open("rb") as handle:
        return [m for m in read_po(handle, locale="ar") if m.id]


def test_every_string_has_an_arabic_translation():
    untranslated = [
        m.id
        for m in arabic_messages()
        if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    broken = []
    for message in arabic_messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        # Arabic plural forms for one and two may spell the number out.
        for form in strings if len(strings) == 1 else strings[3:]:
            if set(PLACEHOLDER.findall(form)) != wanted:
                broken.append((ids[0], form))
    assert broken == []


def test_a_browser_asking_for_english_still_gets_arabic(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ar" dir="rtl">' in response.text


def test_the_language_switch_turns_the_pages_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert '<html lang="en" dir="ltr">' in response.text
    assert "Sign in to Mustafid" in response.text


def test_an_unknown_language_falls_back_to_arabic(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("login"))
    assert '<html lang="ar" dir="rtl">' in response.text


def test_the_stylesheet_and_htmx_are_served_without_a_network(client, db):
    for path in ("/static/css/mustafid.css", "/static/vendor/htmx/htmx-2.0.11.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)
