"""Why a match ranks where it does (R-42): one reason per score component, as data and as a sentence."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from vacancies.choices import TargetGroupFlag
from vacancies.models import Skill
from wsp import geo

from .query import LOCATION_POINTS, WEIGHTS, distance_points

# --- Reasons ---------------------------------------------------------------------------------------------------


def _skill_names(skill_ids: set[int]) -> dict[int, str]:
    """One query for the names of all shared skills on a page, in the active language (Dutch unless English)."""
    if not skill_ids:
        return {}
    english = (translation.get_language() or "").startswith("en")
    rows = Skill.objects.filter(pk__in=skill_ids).values_list("id", "name", "name_en")
    return {pk: (name_en if english and name_en else name) for pk, name, name_en in rows}


def _full_name(first: str, last: str, username: str) -> str:
    return f"{first or ''} {last or ''}".strip() or username


def _points(value: float) -> float:
    return round(float(value), 1)


def _reasons(
    *,
    shared: list[int],
    n_skills: int,
    names: dict[int, str],
    hours_offered: int,
    hours_asked: int,
    location: str,
    place: dict,
    flag_points: float,
    flags: list[str],
    fitted_flags: list[str],
    work_ready_since: date,
    today: date,
    km: float | None = None,
    max_travel_km: int | None = None,
) -> list[dict]:
    """Why a match ranks where it does (R-42): one entry per score component, as data and as a sentence."""
    shared_skills = [{"id": pk, "name": names.get(pk, "")} for pk in shared]
    shared_names = ", ".join(skill["name"] for skill in shared_skills)
    n_skills = max(n_skills, 1)
    reasons = [
        {
            "code": "skills",
            "points": _points(WEIGHTS["skills"] * len(shared) / n_skills),
            "max_points": WEIGHTS["skills"],
            "values": {"shared": shared_skills, "shared_count": len(shared), "vacancy_count": n_skills},
            "text": _("%(shared)d of %(total)d skills match: %(names)s")
            % {"shared": len(shared), "total": n_skills, "names": shared_names},
        }
    ]
    enough = hours_offered >= hours_asked
    reasons.append(
        {
            "code": "hours",
            "points": _points(WEIGHTS["hours"] * min(hours_offered, hours_asked) / hours_asked),
            "max_points": WEIGHTS["hours"],
            "values": {"candidate_hours": hours_offered, "vacancy_hours": hours_asked, "enough": enough},
            "text": (
                _("Available %(offered)d hours a week; the job asks %(asked)d")
                % {"offered": hours_offered, "asked": hours_asked}
            ),
        }
    )
    reasons.append(_location_reason(location=location, place=place, km=km, max_travel_km=max_travel_km))
    if flags:
        labels = ", ".join(str(TargetGroupFlag(flag).label) for flag in fitted_flags if flag in TargetGroupFlag.values)
        flag_text = _("Fits the target group: %(flags)s") % {"flags": labels}
    else:
        flag_text = _("No target-group requirement")
    reasons.append(
        {
            "code": "target_group",
            "points": _points(flag_points),
            "max_points": WEIGHTS["target_group"],
            "values": {"vacancy_flags": flags, "fitted_flags": fitted_flags},
            "text": flag_text,
        }
    )
    days = (today - work_ready_since).days
    reasons.append(
        {
            "code": "availability",
            "points": WEIGHTS["availability"],
            "max_points": WEIGHTS["availability"],
            "values": {"work_ready_since": work_ready_since.isoformat(), "days": days},
            "text": _("Work-ready since %(date)s (%(days)d days)")
            % {"date": work_ready_since.isoformat(), "days": days},
        }
    )
    return reasons


def _location_reason(*, location: str, place: dict, km: float | None, max_travel_km: int | None) -> dict:
    """R-42: the distance in km when both places are known ("12 km"), otherwise the postcode ladder, and then it
    says the distance is unknown (an unknown distance never excludes a candidate, so it is said)."""
    values = {"distance_km": None if km is None else round(km, 1), "max_travel_km": max_travel_km, **place}
    if km is not None:
        shown = geo.whole_km(km)
        if max_travel_km is not None:
            text = _("%(km)d km between home and work (travels up to %(max)d km)") % {"km": shown, "max": max_travel_km}
        else:
            text = _("%(km)d km between home and work") % {"km": shown}
        return {
            "code": "location",
            "points": _points(distance_points(km)),
            "max_points": WEIGHTS["location"],
            "values": {"match": "distance", **values},
            "text": text,
        }
    location_texts = {
        "same_municipality": _("Same municipality (%(municipality)s)"),
        "same_postcode_area": _("Same postcode area (%(pc4)s)"),
        "same_region": _("Same region (postcodes %(pc2)s..)"),
        "other": _("Outside the job's municipality and region"),
    }
    return {
        "code": "location",
        "points": LOCATION_POINTS[location],
        "max_points": WEIGHTS["location"],
        "values": {"match": location, **values},
        "text": _("%(location)s; distance unknown") % {"location": location_texts[location] % place},
    }


def _place(location_params: dict, municipality: str) -> dict:
    return {"municipality": (municipality or "").strip(), "pc4": location_params["pc4"], "pc2": location_params["pc2"]}
