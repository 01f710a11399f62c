"""pytest fixtures for apps that verify Better Auth tokens (registered through the ``pytest11``
entry point: installing edgejwt with the ``testing`` extra is all it takes).

- ``better_auth``: an :class:`edgejwt.testing.Issuer`, new for each test (function scope: its
  keys, rotations, outages and request count never leak into another test), stopped after it.
  Options: ``@pytest.mark.better_auth(alg="ES256", ...)`` on the test (or its class or
  module), or indirect parametrization (``@pytest.mark.parametrize("better_auth", ["RS256"],
  indirect=True)``, an ``alg`` or a dict of options).
- ``better_auth_factory``: ``better_auth_factory(**options)`` makes more issuers (two apps,
  two algorithms); all are stopped after the test.

This module imports nothing heavy: ``edgejwt.testing`` (and ``cryptography``) load only when a
test asks for a fixture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List

import pytest

if TYPE_CHECKING:
    from edgejwt.testing import Issuer


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers",
        "better_auth(**options): options of the better_auth fixture's Issuer (alg=, secret=, expires_in=, kid=)",
    )


def _options(request: Any) -> Dict[str, Any]:
    options: Dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("better_auth"))):
        options.update(marker.kwargs)
    param = getattr(request, "param", None)
    if isinstance(param, str):
        options["alg"] = param
    elif isinstance(param, dict):
        options.update(param)
    elif param is not None:
        raise TypeError("parametrize better_auth with an alg (str) or a dict of Issuer options")
    return options


@pytest.fixture
def better_auth(request: Any) -> Iterator["Issuer"]:
    """A local Better Auth issuer (:class:`edgejwt.testing.Issuer`) for this test: its JWKS at
    ``better_auth.jwks_url``, tokens from ``better_auth.token(...)``. Stopped after the test."""
    from edgejwt.testing import Issuer

    issuer = Issuer(**_options(request))
    try:
        yield issuer
    finally:
        issuer.close()


@pytest.fixture
def better_auth_factory() -> Iterator[Callable[..., "Issuer"]]:
    """Makes more issuers for this test: ``better_auth_factory(alg="RS256")``; all are stopped
    after the test."""
    from edgejwt.testing import Issuer

    issuers: List[Issuer] = []

    def make(**options: Any) -> Issuer:
        issuer = Issuer(**options)
        issuers.append(issuer)
        return issuer

    try:
        yield make
    finally:
        for issuer in issuers:
            issuer.close()
