"""The demo region of `manage.py seed_demo`: its vocabulary and the bulk loader."""
