"""Staff roles and what each may do: the one place that maps roles to permissions."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Beneficiary relations officer")
    RESEARCHER = "researcher", _("Social researcher")
    COMMITTEE = "committee", _("Research committee member")
    SERVICES = "services", _("Services officer")
    MANAGER = "manager", _("Executive manager")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Association admin")


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_BENEFICIARIES = "view_beneficiaries"
    CHANGE_BENEFICIARIES = "change_beneficiaries"
    OVERRIDE_ID_CHECK = "override_id_check"
    VERIFY_DOCUMENTS = "verify_documents"
    RECORD_REACH = "record_reach"
    IMPORT_BENEFICIARIES = "import_beneficiaries"
    EXPORT_BENEFICIARIES = "export_beneficiaries"
    MERGE_BENEFICIARIES = "merge_beneficiaries"
    VIEW_ASSOCIATION = "view_association"
    CHANGE_ASSOCIATION = "change_association"
    VIEW_STAFF = "view_staff"
    VIEW_AUDIT = "view_audit"
    VIEW_CASES = "view_cases"
    INTAKE_CASES = "intake_cases"
    VERIFY_CASES = "verify_cases"
    DECIDE_CASES = "decide_cases"
    DELIVER_CASES = "deliver_cases"
    MANAGE_SERVICES = "manage_services"
    # Holidays and the attestation wording (P-COMMITTEE, P-ATTEST).
    MANAGE_CASE_SETTINGS = "manage_case_settings"
    # P-REFER-RESEARCH: route a request or a beneficiary's question to a researcher;
    # research them (write the report, answer the question); see overdue and
    # escalated requests (the manager's queue).
    ASSIGN_RESEARCHERS = "assign_researchers"
    REFER_QUESTIONS = "refer_questions"
    RESEARCH_CASES = "research_cases"
    OVERSEE_CASES = "oversee_cases"
    # P-OUTOFSCOPE: refer a request to the competent association and answer the
    # referrals others send; keep the directory of associations outside the platform.
    REFER_CASES = "refer_cases"
    MANAGE_DIRECTORY = "manage_directory"
    # Reopen a closed, rejected, withdrawn or referred request, with a reason.
    REOPEN_CASES = "reopen_cases"
    # P-COMMITTEE: see the committee's meetings and minutes; run them (members,
    # meetings, agenda, attendance, applying the decisions); vote at them.
    VIEW_COMMITTEE = "view_committee"
    MANAGE_COMMITTEE = "manage_committee"
    VOTE = "vote"
    # P-ELIGIBILITY, P-PERIODIC, P-GOAL: write a service's rules; except a
    # request from a failed rule (manager only, with a reason); work the
    # periodic review queue; list and invite those who qualify but never asked.
    MANAGE_ELIGIBILITY = "manage_eligibility"
    OVERRIDE_ELIGIBILITY = "override_eligibility"
    REVIEW_ELIGIBILITY = "review_eligibility"
    MATCH_BENEFICIARIES = "match_beneficiaries"
    # P-CHANNELS, P-RECEIVE, P-INFO (issue 6): log a contact with anyone through
    # any channel; see and answer inquiries; enable, disable and add channels;
    # word the notifications; see the outgoing messages and resend failed ones.
    LOG_INTERACTIONS = "log_interactions"
    ANSWER_INQUIRIES = "answer_inquiries"
    MANAGE_CHANNELS = "manage_channels"
    MANAGE_TEMPLATES = "manage_templates"
    VIEW_OUTBOX = "view_outbox"
    RESEND_MESSAGES = "resend_messages"
    # P-TRANSPARENCY (issue 7): word the association's public pages (its FAQ).
    MANAGE_PORTAL = "manage_portal"
    # P-PRIVACY (issue 7): answer beneficiaries' requests about their own data
    # (correction, deletion, a copy) sent from the portal.
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    # P-COMPLAINTS, P-IMPROVE, P-EVALCULTURE (issue 8): handle complaints,
    # suggestions, compliments and remarks; handle those about a staff member
    # (managers only: evaluation is a tool for improvement, not defamation);
    # decide disputes (seed 004: "by the approved rules", the designated
    # authority); see the figures; see what was raised to the board; set the
    # categories and targets; run the improvement actions ("you said, we did").
    HANDLE_FEEDBACK = "handle_feedback"
    HANDLE_STAFF_FEEDBACK = "handle_staff_feedback"
    DECIDE_DISPUTES = "decide_disputes"
    VIEW_FEEDBACK_FIGURES = "view_feedback_figures"
    VIEW_BOARD_FEEDBACK = "view_board_feedback"
    MANAGE_FEEDBACK_SETTINGS = "manage_feedback_settings"
    MANAGE_IMPROVEMENTS = "manage_improvements"
    # P-SATISFACTION, P-TOOLS, P-EVALCULTURE (issue 9): build questionnaires and
    # run campaigns; enter answers given on paper; read the aggregate results
    # ("published internally"); read the results about one staff member
    # (managers only: a tool for improvement, never a public ranking).
    MANAGE_SURVEYS = "manage_surveys"
    ENTER_PAPER_SURVEYS = "enter_paper_surveys"
    VIEW_SURVEY_RESULTS = "view_survey_results"
    VIEW_STAFF_SURVEY_RESULTS = "view_staff_survey_results"


# P-EVALCULTURE: aggregate satisfaction results are published to all staff.
_STAFF = {Perm.VIEW_DASHBOARD, Perm.VIEW_ASSOCIATION, Perm.VIEW_SURVEY_RESULTS}
_READ = _STAFF | {Perm.VIEW_BENEFICIARIES}
# Those who receive beneficiaries and check their papers (P-RECEIVE, P-COMPLETE,
# P-ELIGIBILITY seed 002: "reviewed by the services officer or the researcher").
_CASEWORK = _READ | {Perm.CHANGE_BENEFICIARIES, Perm.VERIFY_DOCUMENTS}
_OVERSIGHT = {Perm.VIEW_STAFF, Perm.VIEW_AUDIT}
# Requests (issue 4): each step of the lifecycle names one of these.
_CASES = {Perm.VIEW_CASES}
# Everyone who meets or calls beneficiaries (issue 6), and so may hand them a
# paper questionnaire and type in its answers (P-TOOLS, issue 9).
_CONTACT = {Perm.LOG_INTERACTIONS, Perm.ANSWER_INQUIRIES, Perm.ENTER_PAPER_SURVEYS}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTION: frozenset(
        _CASEWORK
        | _CASES
        | {Perm.RECORD_REACH, Perm.INTAKE_CASES, Perm.VERIFY_CASES}
        | {Perm.ASSIGN_RESEARCHERS, Perm.REFER_QUESTIONS}
        # P-OUTOFSCOPE (seed 002 5-10): whoever receives the request refers it
        # when the service is outside the remit, and tells the beneficiary.
        | {Perm.REFER_CASES}
        # P-RECEIVE, P-INFO: the front desk logs contacts, answers inquiries and
        # follows the messages that did not reach a beneficiary.
        | _CONTACT
        | {Perm.VIEW_OUTBOX, Perm.RESEND_MESSAGES}
        # P-PRIVACY: the front desk receives data requests like any other.
        | {Perm.HANDLE_DATA_REQUESTS}
        # P-COMPLAINTS: the beneficiary relations officer is the first level.
        | {Perm.HANDLE_FEEDBACK}
    ),
    Role.RESEARCHER: frozenset(
        _CASEWORK
        | _CASES
        | {Perm.VERIFY_CASES, Perm.RESEARCH_CASES, Perm.REVIEW_ELIGIBILITY}
        # The researcher visits and calls (P-CHANNELS, seed 002).
        | _CONTACT
    ),
    # P-COMMITTEE: the research committee accepts or rejects.
    Role.COMMITTEE: frozenset(
        _READ | _CASES | {Perm.DECIDE_CASES, Perm.VIEW_COMMITTEE, Perm.VOTE}
    ),
    Role.SERVICES: frozenset(
        _CASEWORK
        | _CASES
        | {Perm.VERIFY_CASES, Perm.DELIVER_CASES, Perm.REVIEW_ELIGIBILITY}
        | {Perm.MATCH_BENEFICIARIES}
        | _CONTACT
    ),
    Role.MANAGER: frozenset(
        _CASEWORK
        | _CASES
        | {Perm.INTAKE_CASES, Perm.DECIDE_CASES, Perm.DELIVER_CASES}
        | {Perm.MANAGE_SERVICES, Perm.MANAGE_CASE_SETTINGS}
        | {Perm.ASSIGN_RESEARCHERS, Perm.REFER_QUESTIONS}
        | {Perm.RESEARCH_CASES, Perm.OVERSEE_CASES}
        | _OVERSIGHT
        | {Perm.OVERRIDE_ID_CHECK, Perm.RECORD_REACH}
        | {Perm.IMPORT_BENEFICIARIES, Perm.EXPORT_BENEFICIARIES}
        # Merging deletes a record: the manager decides (P-COMPLETE).
        | {Perm.MERGE_BENEFICIARIES}
        | {Perm.REFER_CASES, Perm.MANAGE_DIRECTORY}
        # Undoing a finished request is an exception the manager answers for.
        | {Perm.REOPEN_CASES}
        # The manager runs the committee and often sits on it.
        | {Perm.VIEW_COMMITTEE, Perm.MANAGE_COMMITTEE, Perm.VOTE}
        | {Perm.MANAGE_ELIGIBILITY, Perm.OVERRIDE_ELIGIBILITY}
        | {Perm.REVIEW_ELIGIBILITY, Perm.MATCH_BENEFICIARIES}
        | _CONTACT
        | {Perm.MANAGE_CHANNELS, Perm.MANAGE_TEMPLATES}
        | {Perm.VIEW_OUTBOX, Perm.RESEND_MESSAGES}
        # What the public reads about the association is the manager's word.
        | {Perm.MANAGE_PORTAL}
        | {Perm.HANDLE_DATA_REQUESTS}
        # P-COMPLAINTS: the executive manager is the second level, the
        # designated authority for disputes, and takes items to the board.
        | {Perm.HANDLE_FEEDBACK, Perm.HANDLE_STAFF_FEEDBACK, Perm.DECIDE_DISPUTES}
        | {Perm.VIEW_FEEDBACK_FIGURES, Perm.VIEW_BOARD_FEEDBACK}
        | {Perm.MANAGE_FEEDBACK_SETTINGS, Perm.MANAGE_IMPROVEMENTS}
        # P-SATISFACTION: the manager words the questionnaires and reads the
        # results about each staff member (P-EVALCULTURE: managers only).
        | {Perm.MANAGE_SURVEYS, Perm.VIEW_STAFF_SURVEY_RESULTS}
    ),
    # Auditors read everything and change nothing.
    Role.AUDITOR: frozenset(
        _READ
        | _OVERSIGHT
        | _CASES
        | {Perm.EXPORT_BENEFICIARIES, Perm.VIEW_COMMITTEE, Perm.VIEW_OUTBOX}
        | {Perm.VIEW_FEEDBACK_FIGURES, Perm.VIEW_BOARD_FEEDBACK}
    ),
    # A policy decision on an identity number is the manager's, not the admin's;
    # so are checking, researching, deciding and delivering a beneficiary's request.
    Role.ADMIN: frozenset(Perm)
    - {
        Perm.OVERRIDE_ID_CHECK,
        Perm.VERIFY_CASES,
        Perm.DECIDE_CASES,
        Perm.DELIVER_CASES,
        Perm.RESEARCH_CASES,
        Perm.REFER_CASES,
        Perm.REOPEN_CASES,
        Perm.MANAGE_COMMITTEE,
        Perm.VOTE,
        Perm.OVERRIDE_ELIGIBILITY,
        Perm.REVIEW_ELIGIBILITY,
        # Complaints are handled by relations officers and the manager; the
        # admin keeps the categories, targets and figures (P-EVALCULTURE).
        Perm.HANDLE_FEEDBACK,
        Perm.HANDLE_STAFF_FEEDBACK,
        Perm.DECIDE_DISPUTES,
        Perm.VIEW_BOARD_FEEDBACK,
        Perm.MANAGE_IMPROVEMENTS,
        # P-EVALCULTURE: results about a staff member are for managers only.
        Perm.VIEW_STAFF_SURVEY_RESULTS,
    },
}


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(Role(role), frozenset())
