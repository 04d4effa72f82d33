"""Requests and everything that happens to them, one module per topic."""

from mustafid.cases.models.case import (  # noqa: F401
    DUE_SOON_DAYS,
    FINISHED,
    UNDECIDED,
    Attestation,
    AttestationMethod,
    AttestationText,
    Case,
    CaseCounter,
    CaseEvent,
    CaseQuerySet,
    CaseStatus,
    Delivery,
    DeliveryKind,
    Holiday,
    attestation_path,
)
from mustafid.cases.models.committee import (  # noqa: F401
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    CommitteeRule,
    CommitteeVote,
    DecisionReason,
    ItemOutcome,
    MeetingStatus,
    ReasonKind,
    RunStatus,
    VoteChoice,
    quorum_for,
)
from mustafid.cases.models.deadline_rule import DeadlineAction, DeadlineRule  # noqa: F401
from mustafid.cases.models.permit import ExternalPermit, PermitOutcome  # noqa: F401
from mustafid.cases.models.referral import (  # noqa: F401
    ConsentMethod,
    ExternalAssociation,
    IncomingReferral,
    Referral,
    ReferralStatus,
    SharedField,
)
from mustafid.cases.models.research import (  # noqa: F401
    QuestionStatus,
    Recommendation,
    ReportStatus,
    ResearchAssignment,
    ResearchAttachment,
    ResearchQuestion,
    ResearchReport,
    VisitType,
)
