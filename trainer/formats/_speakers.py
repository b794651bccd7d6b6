"""Speakers: finding the name in ``Name: text`` and deciding who is the rep."""

from __future__ import annotations

from rapidfuzz import process, utils

from trainer.errors import TranscriptError
from trainer.text import names_matching
from trainer.transcript import PROSPECT_NAMES, REP_NAMES, Role

# Past these a "name" is a sentence with a colon in it ("So, to confirm: ..."), not a speaker.
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 5
_NOT_IN_NAMES = frozenset('?!;"“”<>[]{}|')
_LISTED = 10  # speakers named in an error before "and N more"


def canonical(name: str) -> str:
    """The display form of a speaker name: trimmed, inner whitespace collapsed."""
    return " ".join(name.split())


def key(name: str) -> str:
    """What makes two spellings one speaker: case and whitespace never matter."""
    return canonical(name).casefold()


def split_speaker(line: str) -> tuple[str, str] | None:
    """``"Dana Whitfield: Hello"`` -> ``("Dana Whitfield", "Hello")``; None when no name leads."""
    head, colon, rest = line.partition(":")
    if not colon or len(head) > 4 * _MAX_NAME_CHARS:
        return None
    # "at 10:30" and "https://..." hold colons but name nobody.
    if (rest[:1].isdigit() and head[-1:].isdigit()) or rest.startswith("//"):
        return None
    name = canonical(head)
    if (not name or len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS
            or not name[0].isalnum() or _NOT_IN_NAMES.intersection(name)):
        return None
    return name, rest.strip()


def assign_roles(speakers: list[str], rep: str | None, file: str, *,
                 by_id: bool = False) -> dict[str, Role]:
    """Map each speaker's :func:`key` to a role.

    With ``rep``, the speaker it names is the rep and everyone else the prospect side.
    Without it, names like "Rep" or "Customer" decide; with two speakers, one known name is
    enough. ``by_id`` (Gong speaker ids) allows exact matches only and guesses nothing.
    """
    if rep is not None:
        try:
            chosen = _match_rep(speakers, rep, file, by_id=by_id)
        except TranscriptError:
            # "grade calls/* --rep Dana" over files where Dana never speaks: a file whose
            # speakers are called Rep and Prospect still says who is who
            by_role = _by_role_names(speakers) if not by_id else None
            if by_role is None:
                raise
            return by_role
        return {key(s): ("rep" if key(s) in chosen else "prospect") for s in speakers}
    roles = _by_role_names(speakers) if not by_id else None
    if roles is not None:
        return roles
    if by_id:
        raise TranscriptError(
            f"names its speakers by id only ({_listing(speakers)}), so which one is the rep "
            f"cannot be told; pass --rep ID with the rep's speaker id, e.g. "
            f"--rep {speakers[0]}", file=file)
    unknown = [s for s in speakers if key(s) not in REP_NAMES | PROSPECT_NAMES]
    example = next((s for s in speakers if key(s) in REP_NAMES), unknown[0])
    odd = "" if len(unknown) == len(speakers) else (
        f", and {_listing(unknown)} "
        f"{'is not a role name' if len(unknown) == 1 else 'are not role names'} like Rep or "
        "Prospect")
    raise TranscriptError(
        f"cannot tell which speaker is the rep: the speakers are {_listing(speakers)}{odd}; "
        f"pass --rep NAME with the rep's name (everyone else is the prospect's side), e.g. "
        f"--rep \"{example}\"", file=file)


def _by_role_names(speakers: list[str]) -> dict[str, Role] | None:
    """Roles from names like "Rep" or "Customer" (with two speakers, one such name is
    enough), or None when some speaker's side cannot be told that way."""
    roles: dict[str, Role] = {}
    for s in speakers:
        if key(s) in REP_NAMES:
            roles[key(s)] = "rep"
        elif key(s) in PROSPECT_NAMES:
            roles[key(s)] = "prospect"
    unknown = [s for s in speakers if key(s) not in roles]
    if unknown and len(speakers) == 2 and len(unknown) == 1 and roles:
        (known,) = roles.values()
        roles[key(unknown[0])] = "prospect" if known == "rep" else "rep"
        unknown = []
    return None if unknown else roles


def _match_rep(speakers: list[str], rep: str, file: str, *, by_id: bool) -> set[str]:
    """The keys of the speakers ``rep`` names: exact, then leading words, then a prefix."""
    if not key(rep):
        raise TranscriptError("--rep is empty; give the rep's name as it appears in the "
                              f"transcript (speakers: {_listing(speakers)})", file=file)
    found = names_matching(speakers, rep, exact_only=by_id)
    if len({key(s) for s in found}) == 1:
        return {key(found[0])}
    if found:
        raise TranscriptError(
            f"--rep \"{rep}\" matches several speakers ({_listing(found)}); give more of "
            "the rep's name", file=file)
    guess = process.extractOne(rep, speakers, processor=utils.default_process, score_cutoff=50)
    hint = f" Did you mean \"{guess[0]}\"?" if guess else ""
    what = "speaker id" if by_id else "name as the transcript spells it"
    raise TranscriptError(
        f"--rep \"{rep}\" matches none of the speakers ({_listing(speakers)}).{hint} "
        f"Pass --rep with the rep's {what}", file=file)


def _listing(speakers: list[str]) -> str:
    shown = ", ".join(f'"{s}"' for s in speakers[:_LISTED])
    more = len(speakers) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown
