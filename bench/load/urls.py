"""The application's URLs and, for comparison in the same run, a bare Django view serving the employer list's rows
(bench/load/run.py): the same 25 employers, newest first, as plain values, no DRF."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path

from employers.models import AccountHolder, Employer
from wsp.urls import urlpatterns as application

FIELDS = (
    "id", "name", "kvk_number", "visiting_address", "postcode", "city", "municipality", "sector_id", "sbi_code",
    "staff_count", "employer_type", "website", "contact_name", "contact_email", "contact_phone", "status",
    "ceased_on", "main_account_holder_id", "last_contact_at", "last_contact_source", "last_contact_by_id",
    "purged_at", "created_at", "updated_at",
)  # fmt: skip


@login_required
def bare_employers(request):
    rows = list(Employer.objects.visible_to(request.user).order_by("-id").values(*FIELDS)[:25])
    holders: dict[int, list[int]] = {}
    for employer_id, user_id in AccountHolder.objects.filter(employer_id__in=[r["id"] for r in rows]).values_list(
        "employer_id", "user_id"
    ):
        holders.setdefault(employer_id, []).append(user_id)
    for row in rows:
        row["account_holders"] = holders.get(row["id"], [])
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/bare/employers/", bare_employers), *application]
