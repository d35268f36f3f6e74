"""The generation of the placement figures: one number the database raises whenever a committed change could alter
a figure counted from placements (a placement booked, corrected, cancelled, found durable, moved to another
employer or partner, deleted; an employer renamed), on every path (services, admin, bulk updates, raw SQL).

A figure that is expensive to count (`stats/placements/` per employer: 35,000 rows a year) is kept in the cache
under the generation it was counted at (`reporting.api.stats`), and is exact: the generation is read before the
figure is counted, and it changes in the same commit as the data, so a figure is never kept under a generation
older than the data it counted, and the next request after a change counts again.

The triggers are deferred to the commit (constraint triggers, `DEFERRABLE INITIALLY DEFERRED`): the generation's row
is locked only while the transaction commits, after every other row it locks, so two bookings never wait on each
other through it for longer than a commit, and never in a cycle. The demo's bulk load runs without triggers and
raises the generation itself (`RAISE`).
"""

NAME = "placements"

# What a placement contributes to a figure: a change to anything else (aftercare, notes) changes no figure.
_COUNTED = ("status", "start_date", "employer_id", "organisation_id", "sector_id", "target_group", "is_durable",
            "job_agreement_jobs", "employer_type", "job_agreement")  # fmt: skip

# A new number from a sequence, taken once the row is locked: numbers only grow, in the order of the commits, and
# are never given twice (a row deleted and written again, as a test database's flush does, starts at a new one).
RAISE = (
    f"INSERT INTO matching_figuresgeneration (name, value) VALUES ('{NAME}', nextval('matching_figures_generation')) "
    "ON CONFLICT (name) DO UPDATE SET value = nextval('matching_figures_generation')"
)

TRIGGERS = f"""
CREATE SEQUENCE IF NOT EXISTS matching_figures_generation;
{RAISE};

CREATE OR REPLACE FUNCTION matching_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {RAISE};
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER placement_figures_written AFTER INSERT OR DELETE ON matching_placement
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION matching_figures_changed();

CREATE CONSTRAINT TRIGGER placement_figures_changed AFTER UPDATE ON matching_placement
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (({", ".join(f"OLD.{c}" for c in _COUNTED)}) IS DISTINCT FROM ({", ".join(f"NEW.{c}" for c in _COUNTED)}))
    EXECUTE FUNCTION matching_figures_changed();

CREATE CONSTRAINT TRIGGER employer_name_figures_changed AFTER UPDATE ON employers_employer
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION matching_figures_changed();
"""

DROP = """
DROP TRIGGER IF EXISTS employer_name_figures_changed ON employers_employer;
DROP TRIGGER IF EXISTS placement_figures_changed ON matching_placement;
DROP TRIGGER IF EXISTS placement_figures_written ON matching_placement;
DROP FUNCTION IF EXISTS matching_figures_changed();
DROP SEQUENCE IF EXISTS matching_figures_generation;
"""


def current() -> int | None:
    """The generation now (committed), or None when it is not there (nothing was counted under it yet)."""
    from .models import FiguresGeneration

    return FiguresGeneration.objects.filter(name=NAME).values_list("value", flat=True).first()
