"""The delivery workflows' tables, beside their models: the deployment's and
the enhanced request's states, each with who acts, the offer's working days,
the home-queue words and the hand-off e-mail (`portal.workflow_spec`).
Imported by `deployments.delivery.models`, which registers them with the kernel."""

from django.db.models import Q

from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.models import SlaStep
from portal.models import Role
from portal.workflow_spec import Email, Party, Step, WorkflowSpec, workflow_register

D = Deployment.State
# The deployment's table (guidance sections 8 and 9): who acts in each state,
# the offer's working days for it, the home-queue words and the hand-off
# e-mail. The first visit counts from the initial meeting's date. A returned
# form (back to delivery) and the closing call's e-mail name their reasons:
# the services send those.
DEPLOYMENT_WORKFLOW = workflow_register(
    Deployment,
    WorkflowSpec(
        states={
            D.ISSUED: Step(
                actor=Party.SYSTEM_LEADER,
                sla_step=SlaStep.INITIAL_MEETING,
                queue_label="Arrange the initial meeting",
            ),
            D.ENGAGED: Step(
                actor=Party.SYSTEM_LEADER,
                sla_step=SlaStep.FIRST_VISIT,
                count_from="meeting_on",
                queue_label="Make the first visit and complete the scoping",
                email=Email("deployment_engaged", to=(Party.RDP,)),
            ),
            D.DELIVERY: Step(
                actor=Party.SYSTEM_LEADER,
                # The core days' window (migration 0009), from the day delivery starts.
                sla_step=SlaStep.DELIVERY,
                queue_label="Deliver the support and send the form to the school",
            ),
            D.SCHOOL_SIGN_OFF: Step(
                actor=Party.SCHOOL_CONTACT,
                sla_step=SlaStep.DEPLOYMENT_FORM_SUBMISSION,
                queue_label="Sign off the deployment form",
                email=Email("deployment_sign_off_requested", to=(Party.SCHOOL_CONTACT,)),
            ),
            D.SIGNED: Step(
                actor=Party.SYSTEM_LEADER,
                sla_step=SlaStep.DEPLOYMENT_FORM_SUBMISSION,
                queue_label="Submit the signed form to the RDP",
                email=Email("deployment_signed", to=(Party.SYSTEM_LEADER,)),
            ),
            D.SUBMITTED: Step(
                actor=Party.RDP,
                sla_step=SlaStep.RDP_FORM_REVIEW,
                queue_label="Review the deployment form",
                email=Email("deployment_submitted", to=(Party.RDP,)),
            ),
            D.ACCEPTED: Step(
                actor=Party.RDP,
                sla_step=SlaStep.END_OF_DEPLOYMENT_CALL,
                queue_label="Hold the end-of-deployment call",
                email=Email(
                    "deployment_accepted",
                    to=(
                        Party.SYSTEM_LEADER,
                        Party.REGIONS_STAFF,
                        # The call is offered to the school (guidance section 9).
                        Party.SCHOOL_CONTACT,
                    ),
                ),
            ),
            D.CLOSED: Step(),
            # Either withdrawal (Regions Group staff's `withdraw`, the system
            # leader's `system_leader_withdraws`): the case goes back to Regions
            # Group staff for matching again.
            D.WITHDRAWN: Step(
                email=Email(
                    "deployment_withdrawn",
                    to=(Party.SYSTEM_LEADER, Party.SCHOOL_CONTACT, Party.RDP, Party.REGIONS_STAFF),
                ),
            ),
        },
        email_context="deployments.delivery.services.deployment_email_context",
        overdue_template="deployment_overdue",
        overdue_cc=(Party.RDP,),
        home_sections={
            Role.SYSTEM_LEADER: "Deployment forms in progress",
            Role.SCHOOL_CONTACT: "Reports to sign off",
            Role.RDP: "Deployment forms to quality-assure",
            Role.REGIONS_STAFF: "Delayed deployments",
        },
        # A delay the system leader reported: shown (not their move) to these.
        home_watching=(Role.RDP, Role.REGIONS_STAFF),
        home_rows="deployments.delivery.selectors.deployment_home_rows",
        # A paused deployment's clock is stopped: never overdue.
        paused=Q(paused_at__isnull=False),
        paused_attr="is_paused",
        history_labels={
            "issued": "Deployment issued",
            "initial_meeting_arranged": "Initial meeting recorded",
            "scoping_done": "Scoping done: delivery started",
            "send_for_sign_off": "Sent to the school to sign off",
            "school_signs_off": "School or trust signed off the deployment",
            "submit": "Submitted to the RDP",
            "rdp_returns": "RDP returned the form to the system leader",
            "rdp_accepts": "RDP accepted the deployment form",
            "end_call_held": "End-of-deployment call held: deployment closed",
            "withdraw": "Deployment withdrawn",
            "system_leader_withdraws": "System leader withdrew from the deployment",
            "section_saved": "Section saved",
            "mid_review_returned": "Mid-engagement return sent to the RDP",
            "activity_logged": "Activity logged",
            "delay_reported": "Delay reported",
            "paused": "Paused",
            "resumed": "Resumed",
            "enhanced_support_requested": "Enhanced support requested",
            "enhanced_support_approved": "Enhanced support approved",
            "enhanced_support_declined": "Enhanced support declined",
            "case_study_saved": "Case study saved",
        },
    ),
)


E = EnhancedRequest.State
DECISION_EMAIL = Email(
    "deployment_enhanced_decided",
    to=(Party.SYSTEM_LEADER, Party.RDP),
    # A funded partnership involves the school or trust: it hears the decision too.
    to_when=(("is_funded_partnership", (Party.SCHOOL_CONTACT,)),),
    by_service=True,
)
# The enhanced request's table (guidance section 5): the RDP quality-assures,
# then DfE (Regions Group staff) decides; the decision's e-mail names it: the
# service sends it (`by_service`), to the parties this table declares.
ENHANCED_WORKFLOW = workflow_register(
    EnhancedRequest,
    WorkflowSpec(
        states={
            E.REQUESTED: Step(
                actor=Party.RDP,
                sla_step=SlaStep.RDP_EXTENSION_REVIEW,
                queue_label="Quality-assure the request and forward it to DfE",
            ),
            E.WITH_DFE: Step(
                actor=Party.REGIONS_STAFF,
                sla_step=SlaStep.DFE_EXTENSION_DECISION,
                queue_label="Decide the request",
                email=Email("deployment_enhanced_forwarded", to=(Party.REGIONS_STAFF,)),
            ),
            # The decision's e-mail names it (the rationale, the days): the service
            # sends it, to these parties (and any copy DfE adds).
            E.APPROVED: Step(email=DECISION_EMAIL),
            E.DECLINED: Step(email=DECISION_EMAIL),
            E.RECORDED: Step(),
        },
        about="deployment",
        sla_days=lambda request, step: request.deployment.offer.sla_days(step),
        email_context="deployments.delivery.enhanced.request_email_context",
        overdue_template="deployment_overdue",
        home_sections={
            Role.RDP: "Enhanced support requests to review",
            Role.REGIONS_STAFF: "Enhanced support requests to decide",
        },
        home_rows="deployments.delivery.selectors.enhanced_request_home_rows",
        paused=Q(deployment__paused_at__isnull=False),
        paused_attr="deployment.is_paused",
        history_labels={
            "requested": "Enhanced support requested",
            "recorded": "Recorded (no funding asked for)",
            "rdp_forwards": "RDP quality-assured the request and forwarded it to DfE",
            "dfe_approves": "DfE approved the request",
            "dfe_declines": "DfE declined the request",
            "grant_offered": "Grant offer letter sent to the partner trust",
            "grant_bank_details_saved": "Partner trust's bank details saved",
            "grant_evidence": "Grant evidence received",
        },
    ),
)
