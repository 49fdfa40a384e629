"""Reference data every app shares (DESIGN.md "Reference data"): the school census SEN type
codes and the four broad areas of need of the SEND Code of Practice (2015)."""

from django.db import models


class NeedCode(models.TextChoices):
    """School census SEN type codes."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class Area(models.TextChoices):
    """The four broad areas of need of the SEND Code of Practice (2015)."""

    COMMUNICATION = "CI", "Communication and interaction"
    COGNITION = "CL", "Cognition and learning"
    SEMH = "SEMH", "Social, emotional and mental health"
    SENSORY = "SP", "Sensory and/or physical"


# Derived, never stored beside the code: OTH and NSA map to no area.
AREA_OF_NEED: dict[str, Area] = {
    NeedCode.SLCN: Area.COMMUNICATION,
    NeedCode.ASD: Area.COMMUNICATION,
    NeedCode.SPLD: Area.COGNITION,
    NeedCode.MLD: Area.COGNITION,
    NeedCode.SLD: Area.COGNITION,
    NeedCode.PMLD: Area.COGNITION,
    NeedCode.SEMH: Area.SEMH,
    NeedCode.HI: Area.SENSORY,
    NeedCode.VI: Area.SENSORY,
    NeedCode.MSI: Area.SENSORY,
    NeedCode.PD: Area.SENSORY,
}


def codes_in_area(area: str) -> list[str]:
    return [code for code, need_area in AREA_OF_NEED.items() if need_area == area]


def area_of(code: str) -> Area | None:
    return AREA_OF_NEED.get(code)
