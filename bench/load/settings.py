"""The load benchmark's server settings: production's, with the bare view's URL beside the application's."""

from wsp.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
