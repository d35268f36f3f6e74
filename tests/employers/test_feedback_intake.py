"""R-11: feedback comes in from the survey tool (a manager's or administrator's integration) and from a file an
administrator imports. Scores 0-10, never received in the future, a re-sent answer counted once; a file with one
bad row saves nothing and names the bad rows by line number (in Dutch in the browser)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from accounts.choices import Role
from employers import services
from employers.models import EmployerFeedback
from tests.factories import EmployerFactory, UserFactory
from wsp.errors import Conflict, InvalidInput, RuleRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(uwv):
    return UserFactory(username="beheer", organisation=uwv, role=Role.ADMIN)


def _register(employer, adviser, by, **overrides):
    fields = {"score": 8, "received_at": timezone.now() - timedelta(days=1), "comment": "Prima", "source": "survey"}
    return services.feedback_register(employer_id=employer.pk, adviser=adviser, by=by, **(fields | overrides))


# --- One answer from the survey tool ----------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 10])
def test_manager_and_administrator_bring_feedback_in_scored_0_to_10_R11(employer, adviser, manager, administrator,
                                                                        score):  # fmt: skip
    for by in (manager, administrator):
        feedback, created = _register(employer, adviser, by, score=score)
        assert created and (feedback.score, feedback.adviser, feedback.registered_by) == (score, adviser, by)


@pytest.mark.parametrize("who", ["adviser", "other_adviser", "account_manager"])
def test_advisers_do_not_bring_feedback_in_R11(request, employer, adviser, uwv, counts, who):
    by = UserFactory(organisation=uwv, role=Role.ACCOUNT_MANAGER) if who == "account_manager" else (
        request.getfixturevalue(who))  # fmt: skip
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        _register(employer, adviser, by)
    assert (refused.value.code, refused.value.rule, refused.value.status_code) == ("manager_only", "R-11", 403)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": True}, "score"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"source": "rumour"}, "source"),
        ({"external_id": "x" * 101}, "external_id"),
    ],
)
def test_invalid_feedback_is_400_and_saves_nothing_R11(employer, adviser, manager, counts, change, field):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        _register(employer, adviser, manager, **change)
    assert field in refused.value.fields
    assert counts() == before


def test_feedback_concerns_an_adviser_not_a_manager_R11(employer, manager, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        _register(employer, manager, manager)
    assert "adviser" in refused.value.fields
    assert counts() == before


def test_feedback_for_an_unknown_merged_or_purged_employer_is_refused_R11_R09(employer, adviser, manager, counts):
    merged = EmployerFactory(merged_into=employer)
    purged = EmployerFactory(purged_at=timezone.now(), status="ceased", ceased_on=timezone.localdate())
    before = counts()
    for employer_id in (999_999_999, merged.pk):
        with pytest.raises(InvalidInput) as refused:
            services.feedback_register(employer_id=employer_id, adviser=adviser, by=manager, score=7,
                                       received_at=timezone.now())  # fmt: skip
        assert "employer" in refused.value.fields
    with pytest.raises(Conflict) as refused:
        _register(purged, adviser, manager)
    assert (refused.value.code, refused.value.rule) == ("employer_purged", "R-09")
    assert counts() == before


def test_a_re_sent_survey_answer_is_stored_once_R11(employer, adviser, manager, now):
    moment = now - timedelta(hours=3)
    first, created = _register(employer, adviser, manager, external_id="enq-42", received_at=moment)
    again, created_again = _register(employer, adviser, manager, external_id="enq-42", received_at=moment)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert EmployerFeedback.objects.count() == 1
    # The same id from another source is another answer.
    _other, created_other = _register(employer, adviser, manager, external_id="enq-42", received_at=moment,
                                      source="direct_feedback")  # fmt: skip
    assert created_other


def test_another_answer_under_a_used_external_id_is_a_conflict_and_changes_nothing_R11(
    employer, adviser, manager, counts
):
    first, _created = _register(employer, adviser, manager, external_id="enq-7", score=9)
    before = counts()
    with pytest.raises(Conflict) as refused:
        _register(employer, adviser, manager, external_id="enq-7", score=3)
    assert (refused.value.code, refused.value.extra["feedback"]) == ("feedback_external_id_conflict", first.pk)
    first.refresh_from_db()
    assert first.score == 9
    assert counts() == before


# --- A file from an administrator --------------------------------------------------------------------------------

HEADER = "employer;adviser;score;comment;source;received_at;external_id\n"


def test_administrator_imports_a_file_by_employer_number_or_kvk_R11(administrator, adviser, colleague):
    by_number = EmployerFactory(main_account_holder=adviser)
    by_kvk = EmployerFactory(kvk_number="12345678")
    content = (
        HEADER
        + f"{by_number.pk};anna;8;Snel geholpen;survey;2026-03-12 14:30;enq-1\n"
        + "12345678;BRAM;0;Niet teruggebeld;direct_feedback;12-03-2026;\n"
        + f'{by_number.pk};anna;10;"Top; echt";;2026-01-05;\n'
    ).encode()

    result = services.feedback_import(by=administrator, content=content, now=timezone.now())

    assert (result.created, result.already_present) == (3, 0)
    rows = sorted(EmployerFeedback.objects.values_list("employer_id", "adviser_id", "score", "source", "comment"))
    assert rows == sorted([
        (by_number.pk, adviser.pk, 8, "survey", "Snel geholpen"),
        (by_kvk.pk, colleague.pk, 0, "direct_feedback", "Niet teruggebeld"),
        (by_number.pk, adviser.pk, 10, "survey", "Top; echt"),
    ])  # fmt: skip
    assert EmployerFeedback.objects.get(external_id="enq-1").registered_by == administrator


def test_importing_the_same_file_again_counts_nothing_twice_R11(administrator, adviser, employer):
    content = HEADER + f"{employer.pk};anna;8;;survey;2026-03-12 14:30;enq-1\n{employer.pk};anna;6;Matig;;2026-03-13;\n"
    services.feedback_import(by=administrator, content=content)
    again = services.feedback_import(by=administrator, content=content)
    assert (again.created, again.already_present) == (0, 2)
    assert EmployerFeedback.objects.count() == 2


def test_one_bad_row_saves_nothing_and_the_bad_rows_are_named_by_line_in_dutch_R11(
    administrator, adviser, employer, counts
):
    EmployerFactory(kvk_number="87654321")
    EmployerFactory(kvk_number="87654321")  # two establishments with one KvK number
    content = (
        "employer,adviser,score,comment,source,received_at\n"
        f"{employer.pk},anna,8,Goed,survey,2026-03-12\n"  # line 2: fine
        f"{employer.pk},anna,11,Te hoog,survey,2026-03-12\n"  # line 3
        "999999,niemand,7,,survey,2030-01-01\n"  # line 4
        "87654321,anna,7,,enquête?,gisteren\n"  # line 5
    )
    before = counts()

    with translation.override("nl"), pytest.raises(InvalidInput) as refused:
        services.feedback_import(by=administrator, content=content.encode("cp1252"))

    error = refused.value
    assert (error.code, error.rule, error.status_code) == ("feedback_import_invalid", "R-11", 400)
    assert [row["line"] for row in error.extra["rows"]] == [3, 4, 5]
    lines = [str(line) for line in error.fields["file"]]
    assert lines[0].startswith("Regel 3: ") and "score 11" in lines[0]
    assert lines[1].startswith("Regel 4: ") and "999999" in lines[1] and "niemand" in lines[1]
    assert "toekomst" in lines[1]
    assert lines[2].startswith("Regel 5: ") and "87654321" in lines[2] and "gisteren" in lines[2]
    assert counts() == before


def test_duplicate_external_ids_within_a_file_are_refused_R11(administrator, adviser, employer, counts):
    content = HEADER + f"{employer.pk};anna;8;;survey;2026-03-12;x1\n{employer.pk};anna;7;;survey;2026-03-13;x1\n"
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.feedback_import(by=administrator, content=content)
    assert [row["line"] for row in refused.value.extra["rows"]] == [3]
    assert counts() == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"employer;adviser;score\n1;anna;8\n",
        HEADER.encode(),
        b"\xff\xfe\x00\x00",
        HEADER.encode() + b"x" * 6_000_000,
    ],
)
def test_a_file_that_is_not_a_feedback_csv_is_refused_as_a_whole_R11(administrator, counts, content):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        services.feedback_import(by=administrator, content=content)
    assert refused.value.fields["file"]
    assert counts() == before


def test_only_an_administrator_imports_R11(manager, employer, counts):
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        services.feedback_import(by=manager, content=HEADER + f"{employer.pk};anna;8;;survey;2026-03-12;\n")
    assert refused.value.code == "administrator_only"
    assert counts() == before


def test_import_command_uses_the_same_service_R11(tmp_path, administrator, adviser, employer, counts):
    good = tmp_path / "feedback.csv"
    good.write_text(HEADER + f"{employer.pk};anna;9;;survey;2026-03-12;\n", encoding="utf-8-sig")
    call_command("import_feedback", str(good), by="beheer", verbosity=0)
    assert EmployerFeedback.objects.get().score == 9

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{employer.pk};anna;99;;survey;2026-03-12;\n")
    before = counts()
    with pytest.raises(CommandError, match="99"):
        call_command("import_feedback", str(bad), by="beheer", verbosity=0)
    with pytest.raises(CommandError):
        call_command("import_feedback", str(good), by="anna", verbosity=0)  # not an administrator
    assert counts() == before


@pytest.mark.parametrize("n", [10, 100])
def test_the_import_costs_the_same_number_of_queries_for_10_rows_and_100_R11(
    administrator, adviser, employer, django_assert_num_queries, n
):
    EmployerFactory(kvk_number="12345678")
    rows = "".join(f"{employer.pk};anna;{i % 11};;survey;2026-03-12 10:{i % 60:02d};imp-{i}\n" for i in range(n))
    plain = "12345678;anna;5;;survey;2026-03-11;\n"
    # employers by number, employers by KvK, staff by username, stored external ids, the check of the row without
    # an external id, one bulk INSERT; the savepoint of the transaction and its release
    with django_assert_num_queries(8):
        result = services.feedback_import(by=administrator, content=HEADER + rows + plain)
    assert result.created == n + 1


# --- Odd input: a refusal by line, never a 500 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "named"),
    [
        ("²;anna;8;;survey;2026-03-12;", "²"),  # "²".isdigit() is True, int("²") a ValueError: a 500 before
        ("{employer};anna;²;;survey;2026-03-12;", "score ²"),
        ("{employer};anna;٣;;survey;2026-03-12;", "score ٣"),
        ("99999999999999;anna;8;;survey;2026-03-12;", "99999999999999"),
        ("{employer};anna;8;;survey;1999-12-31 23:00;", "vóór 2000"),
        ("{employer};anna;8;;survey;0001-01-01;", "vóór 2000"),
    ],
)
def test_odd_numbers_and_dates_in_a_file_are_refused_by_line_R11(administrator, adviser, employer, counts, row,
                                                                 named):  # fmt: skip
    before = counts()
    with translation.override("nl"), pytest.raises(InvalidInput) as refused:
        services.feedback_import(by=administrator, content=HEADER + row.format(employer=employer.pk) + "\n")
    with translation.override("nl"):
        [line] = [str(message) for message in refused.value.fields["file"]]
    assert line.startswith("Regel 2: ") and named in line
    assert counts() == before


def test_the_import_page_and_command_refuse_a_superscript_digit_without_a_500_R11(client, tmp_path, administrator,
                                                                                  employer, counts):  # fmt: skip
    content = HEADER + f"²;anna;8;;survey;2026-03-12;\n{employer.pk};anna;²;;survey;2026-03-12;\n"
    before = counts()
    client.force_login(administrator)
    upload = SimpleUploadedFile("feedback.csv", content.encode(), content_type="text/csv")
    response = client.post("/beheer/feedback-importeren/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Regel 2:" in page and "Regel 3:" in page

    path = tmp_path / "feedback.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=r"(Line|Regel) 2: .*²"):
        call_command("import_feedback", str(path), by="beheer", verbosity=0)
    assert counts() == before


def test_feedback_received_before_2000_is_refused_with_a_field_error_R11(employer, adviser, manager, counts):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        _register(employer, adviser, manager, received_at=datetime(1999, 12, 31, 23, tzinfo=UTC))
    assert list(refused.value.fields) == ["received_at"]
    assert counts() == before


def test_what_a_manager_brings_in_is_marked_so_it_never_counts_for_managers_R11(employer, adviser, manager,
                                                                                administrator):  # fmt: skip
    by_manager, _created = _register(employer, adviser, manager)
    by_integration, _created = _register(employer, adviser, administrator)
    assert (by_manager.registered_by_manager, by_integration.registered_by_manager) == (True, False)
