"""The shapes of what :meth:`edgejwt.Verifier.keys` and :meth:`edgejwt.Verifier.selection`
return (TypedDicts, for type checkers and editors; at run time they are plain dicts)."""

from __future__ import annotations

from typing import List, Literal, Optional, TypedDict

__all__ = ["KeyProblem", "KeyInfo", "KeyVerdict", "Selection"]


class KeyProblem(TypedDict):
    """What is wrong with a key (the core's ``Jwks::key_problems``)."""

    id: Literal["unusable", "use-not-sig", "no-kid", "duplicate-kid"]
    message: str


class KeyInfo(TypedDict):
    """One key of a set, as :meth:`Verifier.keys` describes it."""

    kid: Optional[str]
    kty: Optional[str]
    alg: Optional[str]
    crv: Optional[str]
    use: Optional[str]
    bits: Optional[int]
    usable: bool
    reason: Optional[str]
    problems: List[KeyProblem]


class KeyVerdict(TypedDict):
    """Why one key was or was not selected for a token."""

    verdict: Literal["fits", "fits_but_unusable", "kid_differs", "kty_differs", "alg_differs", "use_not_sig", "key_ops_lack_verify"]
    reason: Optional[str]


class Selection(TypedDict):
    """The core's selection report (:meth:`Verifier.selection`)."""

    selected: Optional[int]
    keys: List[KeyVerdict]
