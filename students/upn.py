"""Unique pupil numbers: made with the check letter python-stdnum computes."""

from stdnum.gb import upn as upn_check


def make_upn(la_number: int, establishment: int, year: int, serial: int) -> str:
    """A permanent UPN: check letter, LA (3), establishment (4), year (2), serial (3)."""
    body = f"{la_number:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
    return upn_check.calc_check_digit(body) + body
