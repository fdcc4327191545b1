import pytest

from tests.factories import ProfessionalFactory
from tests.referral_factories import ServiceFactory


@pytest.fixture
def triager(db):
    """A physiotherapist who triages MSK physiotherapy's referrals."""
    return ProfessionalFactory(profession="physiotherapist", given_name="Rebecca")


@pytest.fixture
def msk(triager):
    return ServiceFactory(name="MSK physiotherapy", standards=[(92, 126)], triagers=[triager])
