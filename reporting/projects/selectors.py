"""Reads of reporting.projects (STYLE habit 3), each with its prefetches stated so a list costs the same at any size."""

from django.db.models import Count

from .models import ChannelReach, Event, Project


def projects_list():
    """R-54: projects with numbers, parties, changes, activities (with target changes) and placements prefetched."""
    return Project.objects.for_list().prefetch_related("events")


def events_list():
    """R-19: events with organisers, employers and links; candidates only as a count (R-40: no personal data)."""
    return Event.objects.for_list().annotate(candidates_count=Count("candidates", distinct=True))


def reach_list(*, year: int | None = None):
    rows = ChannelReach.objects.all()
    if year:
        rows = rows.filter(year=year)
    return rows


def reach_table(*, year: int) -> dict:
    """Reach per channel x quarter of a year, with a total per quarter (ZKIJ plan 5.3 factsheet section)."""
    rows = list(reach_list(year=year))
    channels = sorted({row.channel for row in rows})
    cells = {(row.channel, row.quarter): row.reach for row in rows}
    totals = [sum(row.reach for row in rows if row.quarter == q) for q in (1, 2, 3, 4)]
    return {"channels": channels, "cells": cells, "totals": totals, "rows": rows}


def placements_by_type(project: Project) -> dict[str, int]:
    """R-54: a project's placements per placement type (uses the prefetched links)."""
    counts: dict[str, int] = {}
    for link in project.project_placements.all():
        kind = link.placement.placement_type
        counts[kind] = counts.get(kind, 0) + 1
    return counts


__all__ = ["projects_list", "events_list", "reach_list", "reach_table", "placements_by_type"]
