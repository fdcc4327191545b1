"""The demo neighbourhood: a seeded, realistic synthetic neighbourhood for development.

Development only: nothing in production code imports this package (an import-linter contract
and a ruff rule check that). `generate_neighbourhood` is imported lazily so that this package
can be imported before Django's apps are ready (for DEMO_SIGN_INS).
"""

from .signins import DEMO_PASSWORD, DEMO_SIGN_INS

__all__ = ["DEMO_PASSWORD", "DEMO_SIGN_INS", "generate_neighbourhood"]


def generate_neighbourhood(**kwargs):
    """Create the demo neighbourhood; see oneroof.demo.generator.generate_neighbourhood."""
    from .generator import generate_neighbourhood as generate

    return generate(**kwargs)
