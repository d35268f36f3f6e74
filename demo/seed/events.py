"""The audit trail of the bulk-loaded vacancies and placements (django-pghistory), replayed once.

The triggers were off while the rows were copied (`session_replication_role = replica`). As for the employers
(seeder.build_audit_trail_and_clock), every vacancy and placement gets the insert event the trigger would have
written, showing the row as it was created: a vacancy open with 1 position (R-20), owned by whoever registered it
before any handover (R-13, R-24), with the standard expiry date; a placement booked, not cancelled, durability as
known at booking (R-30). Rows that changed afterwards (closed, filled, expired, handed over, cancelled, checked for
durability, aftercare ended) get one update event with their present state at the moment of the last change
(`updated_at`): the intermediate steps are not replayed.
"""

from django.conf import settings

from .bulk import insert_events

# The big tables of the demo: their secondary indexes are dropped during the load and built once afterwards.
BULK_TABLES = [
    "vacancies_vacancy",
    "vacancies_vacancyevent",
    "matching_candidate",
    "matching_referral",
    "matching_referralstatuschange",
    "matching_placement",
    "matching_placementevent",
    "matching_aftercarecontact",
]


def insert_vacancy_and_placement_events(cursor) -> None:
    tz = settings.TIME_ZONE
    first_handover = (
        "(SELECT h.{column} FROM vacancies_vacancyhandover h WHERE h.vacancy_id = vacancies_vacancy.id "
        "ORDER BY h.handed_over_at, h.id LIMIT 1)"
    )
    insert_events(
        cursor, "vacancies.VacancyEvent", "vacancies_vacancy", "registered_at", "insert",
        overrides={
            "owner_id": f"COALESCE({first_handover.format(column='from_user_id')}, owner_id)",
            "organisation_id": f"COALESCE({first_handover.format(column='from_organisation_id')}, organisation_id)",
            "positions": "1",
            "status": "'open'",
            "close_reason": "''",
            "close_note": "''",
            "closed_at": "NULL",
            "expires_on": f"(registered_at AT TIME ZONE '{tz}')::date + {int(settings.WSP['VACANCY_VALID_DAYS'])}",
        },
    )  # fmt: skip
    insert_events(
        cursor, "vacancies.VacancyEvent", "vacancies_vacancy", "updated_at", "update",
        where="updated_at > registered_at + interval '1 second'",
    )  # fmt: skip
    # R-30 (matching.services.placements.durability_on): known at booking only under the minimum hours, or when the
    # (planned) end within the durable period had passed by then; a placement ended later by an aftercare contact
    # (R-32, its reason the contact) was booked without that end.
    ended_by_aftercare = "POSITION('Nazorgcontact van ' IN correction_reason) = 1"
    known_at_booking = (
        "hours_per_week < {hours} OR (end_date IS NOT NULL AND end_date <= durable_after "
        "AND end_date < (booked_at AT TIME ZONE '{tz}')::date AND NOT {aftercare})"
    ).format(hours=int(settings.WSP["DURABLE_MIN_HOURS"]), tz=tz, aftercare=ended_by_aftercare)
    insert_events(
        cursor, "matching.PlacementEvent", "matching_placement", "booked_at", "insert",
        overrides={
            "status": "'booked'",
            "cancel_reason": "''",
            "cancelled_at": "NULL",
            "cancelled_by_id": "NULL",
            "correction_reason": "''",
            "end_date": f"CASE WHEN {ended_by_aftercare} THEN NULL ELSE end_date END",
            "is_durable": f"CASE WHEN {known_at_booking} THEN false END",
            "durability_checked_on": f"CASE WHEN {known_at_booking} THEN (booked_at AT TIME ZONE '{tz}')::date END",
            "aftercare_ended_at": "NULL",
            "next_aftercare_on": f"start_date + {int(settings.WSP['AFTERCARE_INTERVAL_DAYS'])}",
        },
    )  # fmt: skip
    insert_events(
        cursor, "matching.PlacementEvent", "matching_placement", "updated_at", "update",
        where="updated_at > booked_at + interval '1 second'",
    )  # fmt: skip
