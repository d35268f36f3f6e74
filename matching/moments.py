"""The funnel's moments, kept on each referral and placement by the database (R-43, R-57).

The funnel (`reporting.measures.funnel`) follows the employers' requests registered in a period through proposal,
invitation, hire, booking and durability. Worked out from the records at every request, that meant four OR'd
subqueries over every vacancy and a minimum over 2.4 million status changes (seconds at the benchmark's size). The
database now keeps, on each record, what the funnel reads:

  referral   `request` and `request_registered_at`: the employer's request it belongs to (the vacancy itself, the
             co-production it is a chain partner's vacancy under (R-19), or the original of a partner's duplicate,
             R-25), null when that request is itself no request (a chain under a chain);
             `invited_at`: the first move to invited or hired; `hired_at`: the first move to hired;
             `carried_over`: a hire carried over to a partner's duplicate (R-25), the same proposal as its original's
             entry, so never counted twice;
  placement  `request`, `request_registered_at` as above; `hired_at`: the first hire of the candidate on the
             vacancy, or for a partner's duplicate on its original (the hire the placement comes from).

Triggers keep them exact in the transaction of every write, whatever path it takes (services, admin, bulk,
Celery): a status change recomputes its referral's moments (and the hire of the placements made from it), a new
referral on an original marks the entries carried over from it. A vacancy's registration moment, co-production and
original are fixed when it is registered (`vacancies.services.changes` refuses them), so what a record's request is
never changes after it is written. The demo's bulk load runs without triggers and calls `FILL` instead, which computes
every moment from the records, as a migration did for the data already there; a test checks that both agree.
"""

import pgtrigger

# The employer's request of the vacancy `{vacancy}`: itself, its co-production, the original of a duplicate
# or that original's co-production, provided that is a request (neither a chain partner's nor a duplicate).
_REQUEST_OF = """
    SELECT q.id, q.registered_at
      FROM vacancies_vacancy v
      LEFT JOIN vacancies_vacancy d ON d.id = v.duplicated_from_id
      JOIN vacancies_vacancy q ON q.id = COALESCE(d.parent_id, v.duplicated_from_id, v.parent_id, v.id)
     WHERE v.id = {vacancy} AND q.parent_id IS NULL AND q.duplicated_from_id IS NULL
"""

# The first hire of candidate `{candidate}` on the vacancy a placement on `{vacancy}` comes from.
_HIRE_OF = """
    SELECT min(c.changed_at)
      FROM matching_referralstatuschange c
      JOIN matching_referral r ON r.id = c.referral_id
      JOIN vacancies_vacancy v ON v.id = {vacancy}
     WHERE c.to_status = 'hired' AND r.candidate_id = {candidate}
       AND r.vacancy_id = COALESCE(v.duplicated_from_id, v.id)
"""

_PLACEMENT_HIRE = _HIRE_OF.format(vacancy="p.vacancy_id", candidate="p.candidate_id")

REFERRAL_MOMENTS = pgtrigger.Trigger(
    name="funnel_moments",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("vacancy_id", "candidate_id"),
    func=f"""
        SELECT q.id, q.registered_at INTO NEW.request_id, NEW.request_registered_at
          FROM ({_REQUEST_OF.format(vacancy="NEW.vacancy_id")}) q;
        NEW.carried_over := EXISTS (
            SELECT 1 FROM vacancies_vacancy v
              JOIN matching_referral o ON o.vacancy_id = v.duplicated_from_id AND o.candidate_id = NEW.candidate_id
             WHERE v.id = NEW.vacancy_id AND o.id IS DISTINCT FROM NEW.id);
        SELECT min(changed_at) FILTER (WHERE to_status IN ('invited', 'hired')),
               min(changed_at) FILTER (WHERE to_status = 'hired')
          INTO NEW.invited_at, NEW.hired_at
          FROM matching_referralstatuschange WHERE referral_id = NEW.id;
        RETURN NEW;
    """,
)

# A candidate proposed on an original after the hire was carried over to a duplicate (only a bulk load does that
# order): the duplicate's entry becomes the carried-over one.
REFERRAL_CARRIES_OVER = pgtrigger.Trigger(
    name="funnel_carries_over",
    when=pgtrigger.After,
    operation=pgtrigger.Insert,
    func="""
        UPDATE matching_referral r SET carried_over = true
          FROM vacancies_vacancy v
         WHERE v.duplicated_from_id = NEW.vacancy_id AND r.vacancy_id = v.id AND r.candidate_id = NEW.candidate_id
           AND NOT r.carried_over;
        RETURN NULL;
    """,
)

# A status change (added, or in a repair changed or removed) recomputes its referral's moments and, when the hire
# moved, the hire of the placements made from it: on the vacancy itself and on its partners' duplicates (R-25).
STATUS_CHANGE_MOMENTS = pgtrigger.Trigger(
    name="funnel_moments",
    when=pgtrigger.After,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    declare=[("changed", "bigint"), ("hire", "timestamptz")],
    func=f"""
        FOR changed IN
            SELECT DISTINCT id FROM (SELECT NEW.referral_id AS id WHERE TG_OP <> 'DELETE'
                                     UNION SELECT OLD.referral_id WHERE TG_OP <> 'INSERT') ids
        LOOP
            UPDATE matching_referral r SET invited_at = m.invited_at, hired_at = m.hired_at
              FROM (SELECT min(changed_at) FILTER (WHERE to_status IN ('invited', 'hired')) AS invited_at,
                           min(changed_at) FILTER (WHERE to_status = 'hired') AS hired_at
                      FROM matching_referralstatuschange WHERE referral_id = changed) m
             WHERE r.id = changed AND (r.invited_at, r.hired_at) IS DISTINCT FROM (m.invited_at, m.hired_at)
            RETURNING m.hired_at INTO hire;
            IF FOUND THEN
                UPDATE matching_placement p SET hired_at = ({_PLACEMENT_HIRE})
                  FROM matching_referral r
                 WHERE r.id = changed AND p.candidate_id = r.candidate_id
                   AND p.vacancy_id IN (SELECT r.vacancy_id UNION ALL
                                        SELECT id FROM vacancies_vacancy WHERE duplicated_from_id = r.vacancy_id)
                   AND p.hired_at IS DISTINCT FROM ({_PLACEMENT_HIRE});
            END IF;
        END LOOP;
        RETURN NULL;
    """,
)

PLACEMENT_MOMENTS = pgtrigger.Trigger(
    name="funnel_moments",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("vacancy_id", "candidate_id"),
    func=f"""
        SELECT q.id, q.registered_at INTO NEW.request_id, NEW.request_registered_at
          FROM ({_REQUEST_OF.format(vacancy="NEW.vacancy_id")}) q;
        NEW.hired_at := ({_HIRE_OF.format(vacancy="NEW.vacancy_id", candidate="NEW.candidate_id")});
        RETURN NEW;
    """,
)

# Every moment from the records, set-based: the migration that introduced them and the demo's bulk load (which
# runs without triggers). Only rows that differ are written.
FILL = [
    f"""
    UPDATE matching_referral r
       SET request_id = f.request_id, request_registered_at = f.request_registered_at,
           invited_at = f.invited_at, hired_at = f.hired_at, carried_over = f.carried_over
      FROM (
        SELECT r.id, q.id AS request_id, q.registered_at AS request_registered_at, m.invited_at, m.hired_at,
               EXISTS (SELECT 1 FROM vacancies_vacancy v JOIN matching_referral o ON o.vacancy_id = v.duplicated_from_id
                        WHERE v.id = r.vacancy_id AND o.candidate_id = r.candidate_id) AS carried_over
          FROM matching_referral r
          LEFT JOIN LATERAL ({_REQUEST_OF.format(vacancy="r.vacancy_id")}) q ON true
          LEFT JOIN (
            SELECT referral_id, min(changed_at) FILTER (WHERE to_status IN ('invited', 'hired')) AS invited_at,
                   min(changed_at) FILTER (WHERE to_status = 'hired') AS hired_at
              FROM matching_referralstatuschange GROUP BY referral_id
          ) m ON m.referral_id = r.id
      ) f
     WHERE f.id = r.id
       AND (r.request_id, r.request_registered_at, r.invited_at, r.hired_at, r.carried_over)
           IS DISTINCT FROM (f.request_id, f.request_registered_at, f.invited_at, f.hired_at, f.carried_over)
    """,
    f"""
    UPDATE matching_placement p
       SET request_id = f.request_id, request_registered_at = f.request_registered_at, hired_at = f.hired_at
      FROM (
        SELECT p.id, q.id AS request_id, q.registered_at AS request_registered_at, o.hired_at
          FROM matching_placement p
          JOIN vacancies_vacancy v ON v.id = p.vacancy_id
          LEFT JOIN LATERAL ({_REQUEST_OF.format(vacancy="p.vacancy_id")}) q ON true
          LEFT JOIN matching_referral o
            ON o.candidate_id = p.candidate_id AND o.vacancy_id = COALESCE(v.duplicated_from_id, v.id)
      ) f
     WHERE f.id = p.id
       AND (p.request_id, p.request_registered_at, p.hired_at)
           IS DISTINCT FROM (f.request_id, f.request_registered_at, f.hired_at)
    """,
]
