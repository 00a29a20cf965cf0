"""Support cases. (The system-leader register lives in deployments.leaders.)"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django_fsm import RETURN_VALUE, FSMField, transition
from simple_history.models import HistoricalRecords

from deployments.leaders.models import SystemLeader
from deployments.models import SlaStep
from deployments.targets import SchoolOrTrustTarget
from portal.models import Role, WorkflowRecord
from portal.workflow import rules_permission
from portal.workflow_spec import Email, Party, Step, WorkflowSpec, workflow_register

__all__ = ["SupportCase", "SystemLeader"]


class SupportCase(WorkflowRecord, SchoolOrTrustTarget):
    """An eligible school or trust on its way to a deployment. States and
    transitions are the API contract's "Support cases" table; each transition
    method sets fields only (services save, record and e-mail)."""

    class State(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        WITH_RDP = "with_rdp", "With the RDP"
        SCHOOL_ENGAGEMENT = "school_engagement", "School engagement"
        SYSTEM_LEADER_CHECK = "system_leader_check", "System leader check"
        MATCH_CONFIRMATION = "match_confirmation", "Match confirmation"
        CONCERN = "concern", "Concern raised"
        DIRECTOR_APPROVAL = "director_approval", "Regional Director approval"
        APPROVED = "approved", "Approved"
        DEPLOYMENT_ISSUED = "deployment_issued", "Deployment issued"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DECLINED = "declined", "Declined by the school"

    class LaContacted(models.TextChoices):
        """Who Regions Group asked to confirm participation (guidance section 9)."""

        LOCAL_AUTHORITY = "local_authority", "The local authority"
        DIOCESE = "diocese", "The diocese"
        BOTH = "both", "The local authority and the diocese"

    offer = models.ForeignKey(
        "deployments.SupportOffer", on_delete=models.PROTECT, related_name="support_cases"
    )
    eligibility = models.ForeignKey(
        "deployments.EligibilityAssessment", on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(default=State.IDENTIFIED, choices=State.choices)
    system_leader = models.ForeignKey(
        SystemLeader, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        help_text="The Regions Group staff member who owns the case",
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="watched_cases"
    )
    declined_by = models.ManyToManyField(SystemLeader, blank=True, related_name="declined_cases")
    school_confirmed = models.BooleanField(default=False)
    school_context = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    concern = models.TextField(blank=True, help_text="The school's latest concern about a match")
    school_contacted_on = models.DateField(
        null=True, blank=True, help_text="When the RDP contacted the school (it sees the case)"
    )
    leader_asked_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the current system leader was asked (they see the case from then)",
    )
    la_contacted = models.CharField(
        max_length=16,
        choices=LaContacted.choices,
        blank=True,
        help_text="Who Regions Group asked to confirm participation (not a state change)",
    )
    la_contacted_on = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="support_case")
    history = HistoricalRecords()

    OPEN_STATES = (
        State.IDENTIFIED,
        State.WITH_RDP,
        State.SCHOOL_ENGAGEMENT,
        State.SYSTEM_LEADER_CHECK,
        State.MATCH_CONFIRMATION,
        State.CONCERN,
        State.DIRECTOR_APPROVAL,
        State.APPROVED,
    )
    # A new case for the same target and offer may open only once every earlier
    # one ended in one of these.
    REOPENABLE_STATES = (State.WITHDRAWN, State.DECLINED)

    class Meta(SchoolOrTrustTarget.Meta):
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["due_on"])]
        constraints = [
            *SchoolOrTrustTarget.Meta.constraints,
            models.UniqueConstraint(
                fields=["offer", "school"],
                condition=Q(school__isnull=False) & ~Q(state__in=["withdrawn", "declined"]),
                name="support_case_one_live_per_school_and_offer",
            ),
            models.UniqueConstraint(
                fields=["offer", "trust"],
                condition=Q(trust__isnull=False) & ~Q(state__in=["withdrawn", "declined"]),
                name="support_case_one_live_per_trust_and_offer",
            ),
        ]

    def __str__(self):
        return f"Support case {self.pk}: {self.target}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    # The school hears who its system leader is once the leader has agreed.
    LEADER_SHOWN_TO_SCHOOL = (
        State.MATCH_CONFIRMATION,
        State.CONCERN,
        State.DIRECTOR_APPROVAL,
        State.APPROVED,
        State.DEPLOYMENT_ISSUED,
    )

    @property
    def deployment(self):
        """The current deployment (the one not withdrawn), or None. A case holds
        every deployment issued for it (`deployments`, re-matched after a withdrawal)."""
        return next((d for d in self.deployments.all() if d.state != "withdrawn"), None)

    def withdrawn_leader_ids(self):
        """The system leaders who withdrew from (or were withdrawn from) a
        deployment of this case: never its candidates again (a subquery)."""
        return self.deployments.filter(state="withdrawn").values("system_leader_id")

    def earlier_days_logged(self):
        """The days logged on this case's deployments so far (every one withdrawn
        when a new one is issued): the next deployment's core days are less these."""
        from decimal import Decimal

        total = self.deployments.aggregate(total=models.Sum("activities__days"))["total"]
        return total or Decimal("0")

    def leader_shown_to(self, user) -> bool:
        return user.role != Role.SCHOOL_CONTACT or self.state in self.LEADER_SHOWN_TO_SCHOOL

    def _clear_match(self):
        self.system_leader = None
        self.leader_asked_on = None
        self.override_reason = ""

    @transition(
        field=state,
        source=State.IDENTIFIED,
        target=RETURN_VALUE(State.WITH_RDP, State.SYSTEM_LEADER_CHECK),
        permission=rules_permission("deployments.case_propose"),
        custom={"label": "Propose a system leader"},
    )
    def propose(self, *, system_leader, override_reason="", today=None):
        """Straight to the system leader when the school already confirmed
        (a second proposal after a decline)."""
        self.system_leader = system_leader
        self.override_reason = override_reason
        if self.school_confirmed:
            self.leader_asked_on = today
            return self.State.SYSTEM_LEADER_CHECK
        return self.State.WITH_RDP

    @transition(
        field=state,
        source=State.WITH_RDP,
        target=State.SCHOOL_ENGAGEMENT,
        permission=rules_permission("deployments.case_rdp_contacts_school"),
        custom={"label": "Record that you contacted the school"},
    )
    def rdp_contacts_school(self, *, today=None):
        self.school_contacted_on = today

    @transition(
        field=state,
        source=State.SCHOOL_ENGAGEMENT,
        target=State.SYSTEM_LEADER_CHECK,
        permission=rules_permission("deployments.case_school_confirms"),
        custom={"label": "Confirm taking part"},
    )
    def school_confirms(self, *, context="", today=None):
        self.school_confirmed = True
        self.school_context = context
        self.leader_asked_on = today

    @transition(
        field=state,
        source=State.SCHOOL_ENGAGEMENT,
        target=State.DECLINED,
        permission=rules_permission("deployments.case_school_declines"),
        custom={"label": "Decline the support"},
    )
    def school_declines(self):
        pass

    @transition(
        field=state,
        source=State.SYSTEM_LEADER_CHECK,
        target=State.MATCH_CONFIRMATION,
        permission=rules_permission("deployments.case_system_leader_accepts"),
        custom={"label": "Accept this request"},
    )
    def system_leader_accepts(self):
        pass

    @transition(
        field=state,
        source=State.SYSTEM_LEADER_CHECK,
        target=State.IDENTIFIED,
        permission=rules_permission("deployments.case_system_leader_declines"),
        custom={"label": "Decline this request"},
    )
    def system_leader_declines(self):
        """The leader goes on `declined_by` in the service (a many-to-many)."""
        self._clear_match()

    @transition(
        field=state,
        source=State.MATCH_CONFIRMATION,
        target=State.DIRECTOR_APPROVAL,
        permission=rules_permission("deployments.case_school_accepts_match"),
        custom={"label": "Accept the system leader"},
    )
    def school_accepts_match(self):
        pass

    @transition(
        field=state,
        source=State.MATCH_CONFIRMATION,
        target=State.CONCERN,
        permission=rules_permission("deployments.case_school_raises_concern"),
        custom={"label": "Raise a concern about the match"},
    )
    def school_raises_concern(self, *, concern):
        self.concern = concern

    @transition(
        field=state,
        source=State.CONCERN,
        target=RETURN_VALUE(State.DIRECTOR_APPROVAL, State.IDENTIFIED),
        permission=rules_permission("deployments.case_concern_answered"),
        custom={"label": "Answer the concern"},
    )
    def concern_answered(self, *, keep_match: bool):
        if keep_match:
            return self.State.DIRECTOR_APPROVAL
        self._clear_match()
        return self.State.IDENTIFIED

    @transition(
        field=state,
        source=State.DIRECTOR_APPROVAL,
        target=State.APPROVED,
        permission=rules_permission("deployments.case_director_approves"),
        custom={"label": "Approve the match"},
    )
    def director_approves(self):
        pass

    @transition(
        field=state,
        source=State.DIRECTOR_APPROVAL,
        target=State.IDENTIFIED,
        permission=rules_permission("deployments.case_director_rejects"),
        custom={"label": "Reject the match"},
    )
    def director_rejects(self):
        self._clear_match()

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.DEPLOYMENT_ISSUED,
        permission=rules_permission("deployments.case_issue_deployment"),
        custom={"label": "Issue the deployment"},
    )
    def issue_deployment(self):
        """The deployment row is created by the service in the same transaction."""

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=State.WITHDRAWN,
        permission=rules_permission("deployments.case_withdraw"),
        custom={"label": "Withdraw the case"},
    )
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=State.DEPLOYMENT_ISSUED,
        target=State.IDENTIFIED,
        # Nobody takes it by hand: the deployment's withdrawal runs it (user=None).
        permission=lambda case, user: False,
        custom={"label": "Deployment withdrawn: match again"},
    )
    def deployment_withdrawn(self):
        """Back to matching; the school's confirmation stands (`school_confirmed`),
        so the next `propose` goes straight to the system leader."""
        self._clear_match()


S = SupportCase.State
# The support case's table (guidance section 9): who acts in each state, the
# offer's working days for it, the home-queue words and the hand-off e-mail.
WORKFLOW = workflow_register(
    SupportCase,
    WorkflowSpec(
        states={
            S.IDENTIFIED: Step(actor=Party.OWNER, queue_label="Propose a system leader"),
            S.WITH_RDP: Step(
                actor=Party.RDP,
                sla_step=SlaStep.SCHOOL_CONFIRMATION,
                queue_label="Contact the school or trust",
                email=Email("case_proposal", to=(Party.RDP,)),
            ),
            S.SCHOOL_ENGAGEMENT: Step(
                actor=Party.SCHOOL_CONTACT,
                also=(Party.RDP,),
                sla_step=SlaStep.SCHOOL_CONFIRMATION,
                queue_label="Confirm taking part",
                email=Email("case_school_contacted", to=(Party.SCHOOL_CONTACT,)),
            ),
            S.SYSTEM_LEADER_CHECK: Step(
                actor=Party.SYSTEM_LEADER,
                sla_step=SlaStep.SYSTEM_LEADER_CONFIRMATION,
                queue_label="Confirm you can support",
                email=Email("case_leader_request", to=(Party.SYSTEM_LEADER,)),
            ),
            S.MATCH_CONFIRMATION: Step(
                actor=Party.SCHOOL_CONTACT,
                also=(Party.RDP,),
                sla_step=SlaStep.PROVIDER_CONFIRMATION,
                queue_label="Accept the proposed system leader",
                email=Email("case_match_confirmation", to=(Party.SCHOOL_CONTACT,)),
            ),
            S.CONCERN: Step(
                actor=Party.OWNER,
                sla_step=SlaStep.PROVIDER_CONFIRMATION,
                queue_label="Answer the school's concern",
                email=Email("case_concern", to=(Party.OWNER,)),
            ),
            S.DIRECTOR_APPROVAL: Step(
                actor=Party.REGIONAL_DIRECTOR,
                sla_step=SlaStep.REGIONAL_DIRECTOR_APPROVAL,
                queue_label="Approve the match",
                email=Email("case_director_approval", to=(Party.REGIONAL_DIRECTOR,)),
            ),
            # The approval's e-mail names the decision: the service sends it, to these.
            S.APPROVED: Step(
                actor=Party.RDP,
                sla_step=SlaStep.DEPLOYMENT_INFORMATION,
                queue_label="Issue the deployment",
                email=Email("case_update", to=(Party.RDP, Party.OWNER), by_service=True),
            ),
            S.DEPLOYMENT_ISSUED: Step(
                email=Email(
                    "case_deployment_issued", to=(Party.SYSTEM_LEADER, Party.SCHOOL_CONTACT)
                ),
            ),
            S.WITHDRAWN: Step(),
            S.DECLINED: Step(),
        },
        email_context="deployments.matching.services.case_email_context",
        overdue_template="case_overdue",
        home_sections={
            Role.REGIONS_STAFF: "Support cases waiting for you",
            Role.REGIONAL_DIRECTOR: "Matches to approve",
            Role.RDP: "Support cases waiting for you",
            Role.SYSTEM_LEADER: "Requests to answer",
            Role.SCHOOL_CONTACT: "Your support",
        },
        home_rows="deployments.matching.selectors.home_rows",
        # The history reads in the past tense (buttons say what you are about to do).
        history_labels={
            "opened": "Case opened",
            "owner_changed": "Owner changed",
            "propose": "System leader proposed",
            "rdp_contacts_school": "RDP contacted the school or trust",
            "school_confirms": "School or trust confirmed taking part",
            "school_declines": "School or trust declined the support",
            "system_leader_accepts": "System leader accepted the request",
            "system_leader_declines": "System leader declined the request",
            "school_accepts_match": "School or trust accepted the system leader",
            "school_raises_concern": "School or trust raised a concern",
            "concern_answered": "Concern answered",
            "director_approves": "Regional Director approved the match",
            "director_rejects": "Regional Director rejected the match",
            "issue_deployment": "Deployment issued",
            "withdraw": "Case withdrawn",
            "la_contacted": "LA or diocese asked to confirm participation",
            "deployment_withdrawn": "Deployment withdrawn: the case is back for matching",
        },
    ),
)
