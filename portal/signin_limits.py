"""Failed sign-ins, limited twice: per e-mail address from one IP address
(AXES_FAILURE_LIMIT: a person mistyping), and per IP address across every
e-mail address (AXES_IP_FAILURE_LIMIT, higher: one sender trying many accounts,
which the first limit alone lets through, a few guesses per account)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class SignInLimitsHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER). Axes compares one count
    with one limit, so the IP address's count is scaled to that limit: it
    reaches AXES_FAILURE_LIMIT exactly when the IP's failures reach
    AXES_IP_FAILURE_LIMIT. Axes then locks the IP out for AXES_COOLOFF_TIME."""

    def get_failures(self, request, credentials=None) -> int:
        per_address = super().get_failures(request, credentials)
        per_ip = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        limit = get_failure_limit(request, credentials)
        return max(per_address, per_ip * limit // settings.AXES_IP_FAILURE_LIMIT)
