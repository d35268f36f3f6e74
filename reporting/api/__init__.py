"""REST API of the reporting app: the figures (API.md `stats/`, `referrals/funnel/`)."""

from .funnel import FunnelViewSet
from .measures import ROUTES as MEASURE_ROUTES
from .stats import PlacementStatsViewSet

# `referrals/funnel/` is registered before the referrals' own routes (wsp.api.urls), or `funnel` would be an id.
ROUTES = [
    ("referrals/funnel", FunnelViewSet, "referral-funnel"),
    ("stats/placements", PlacementStatsViewSet, "placement-stats"),
    *MEASURE_ROUTES,
]
