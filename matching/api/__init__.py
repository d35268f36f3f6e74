"""REST API of the matching app: candidates and matches, referrals, placements and their figures (API.md)."""

from .candidates import ROUTES as CANDIDATE_ROUTES
from .placements import ROUTES as PLACEMENT_ROUTES

ROUTES = [*CANDIDATE_ROUTES, *PLACEMENT_ROUTES]
