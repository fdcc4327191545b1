import pytest
from django.test import Client

from tests.factories import PASSWORD, PersonFactory, ProfessionalFactory, UserFactory


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`, as `make test` runs), the tests of a module with
    a module-scoped fixture (a generated neighbourhood, a drawn population) go to one worker
    together, so that the fixture is built once rather than once in each worker."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        if any(defs[-1].scope == "module" for defs in fixtures.name2fixturedefs.values() if defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Fixtures make many sign-ins; PBKDF2 (about half a second a hash) is for production. It
    # stays second so that the demo's precomputed PBKDF2 hashes still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def person(db):
    return PersonFactory()


@pytest.fixture
def nurse(db):
    return ProfessionalFactory(profession="district_nurse", given_name="Aisha", family_name="Khan")


@pytest.fixture
def social_worker(db):
    return ProfessionalFactory(profession="social_worker", given_name="Sam", family_name="Reid")


@pytest.fixture
def stranger(db):
    """A professional with no relationship to anyone."""
    return ProfessionalFactory(profession="physiotherapist", given_name="Lee", family_name="Park")


@pytest.fixture
def privacy_officer(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="privacy")
    user.user_permissions.add(Permission.objects.get(codename="view_recordaccess"))
    return user


@pytest.fixture
def client_for():
    """A signed-in test client for a Professional, a Person with a sign-in, or a User."""

    def make(who):
        user = getattr(who, "user", who)
        return signed_in(user)

    return make
