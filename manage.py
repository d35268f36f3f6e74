#!/usr/bin/env python
"""Django's command-line utility for the WSP platform.

For developers it defaults to the development settings (`wsp.settings.local`: DEBUG, the development key, the
embedded PostgreSQL). On a server, set DJANGO_SETTINGS_MODULE=wsp.settings.production (the Docker image does).
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsp.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
