"""Every engine gives the reference engine's results, every cell of every measure, on a random
neighbourhood with every analytic table filled."""

from oneroof.analytics.measures import MEASURES

from .harness import Engine
from .measures_harness import MAY, random_neighbourhoods, run, summary


def test_measures_engines_agree_with_the_reference_on_random_neighbourhoods(engine):
    data = random_neighbourhoods(seed=20260531)
    expected = run(Engine("reference"), data, period=MAY)
    results = run(engine, data, period=MAY)
    assert set(results) == {(m.key, n) for m in MEASURES for n in (1, 2)}
    # The case is not trivial: every measure has something to count in neighbourhood 1.
    for m in MEASURES:
        assert expected[(m.key, 1)].total.units > 0, m.key
    assert {k: summary(r) for k, r in results.items()} == {
        k: summary(r) for k, r in expected.items()
    }
