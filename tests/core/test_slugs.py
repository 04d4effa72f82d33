"""An association's short name cannot shadow the site's own pages
(P-TRANSPARENCY: /<slug>/ is its public address)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mustafid.core.models import Organization
from mustafid.core.slugs import reserved_segments, routed_segments


@pytest.mark.parametrize(
    "slug", ["cases", "beneficiaries", "accounts", "i18n", "static", "feedback", "API"]
)
def test_reserved_segments_are_refused_with_a_clear_message(db, slug):
    organization = Organization(slug=slug.lower(), name_ar="جمعية")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            organization.full_clean()
        # The message is lazy: read it in English too.
        assert "is used by the site's own pages" in str(
            refused.value.message_dict["slug"]
        )


def test_the_reserved_list_follows_the_url_conf(db):
    routed = routed_segments()
    assert {"accounts", "beneficiaries", "cases", "contact", "i18n"} <= routed
    assert routed <= reserved_segments()
    assert not any("<" in segment for segment in routed)


def test_an_ordinary_short_name_is_accepted(db):
    Organization(slug="tuwaiq", name_ar="جمعية طويق").full_clean()
