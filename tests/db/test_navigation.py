"""The header navigation: which links each kind of user has, and which one is the section a
page is in."""

import pytest
from django.test import RequestFactory

from oneroof.core.context import navigation
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _nav(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return {item["text"]: item for item in navigation(request)["nav_items"]}


@pytest.fixture
def resident():
    user = UserFactory()
    PersonFactory(user=user)
    return user


def test_a_page_is_in_one_section_the_longest_link_it_starts_with(resident):
    nav = _nav(resident, "/my/appointments/")
    assert [text for text, item in nav.items() if item["active"]] == ["My appointments"]
    assert nav["My appointments"]["current"]


def test_the_summary_is_its_own_section(resident):
    nav = _nav(resident, "/my/")
    assert [text for text, item in nav.items() if item["active"]] == ["My summary"]


def test_a_page_outside_every_section_marks_none(resident):
    nav = _nav(resident, "/refer/")
    assert not any(item["active"] or item["current"] for item in nav.values())
