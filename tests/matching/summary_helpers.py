"""What the tests of the summaries the database keeps (`matching.summaries`) share: the summary as a set of rows,
and the check that it is what a recount from the records finds."""

from django.db import connection


def assert_kept_as_recounted(model, columns: tuple[str, ...], fill: list[str]) -> set[tuple]:
    """The rows of `model` (as `columns`, the count last) equal those its fill SQL recounts from the records, and no
    row holds zero. Returns the rows."""
    kept = set(model.objects.values_list(*columns))
    with connection.cursor() as cursor:
        for statement in fill:
            cursor.execute(statement)
    assert set(model.objects.values_list(*columns)) == kept
    return kept
