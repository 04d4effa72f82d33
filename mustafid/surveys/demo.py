"""The demo's satisfaction questionnaire (P-SATISFACTION): one per association,
worded from the policies' "measure the beneficiary's satisfaction to raise the
quality of the service and continuously improve how it is delivered", sent when
a request is closed or a programme ends, with a few answers so the indicators
show on the first visit."""

import datetime

from django.utils import timezone
from django_scopes import scope

from mustafid.catalog.models import Service
from mustafid.core.models import Membership, Organization
from mustafid.core.roles import Role
from mustafid.registry.models import Beneficiary
from mustafid.surveys import services
from mustafid.surveys.invitations import invite
from mustafid.surveys.models import Questionnaire

TITLE = ("استبيان قياس رضا المستفيدين", "Beneficiary satisfaction survey")
INTRO = (
    "حرصًا منا على رفع جودة خدماتنا وتحسين إجراءات تقديمها باستمرار، نرجو منك "
    "الإجابة عن الأسئلة التالية. لا يستغرق ذلك إلا دقائق، وتقييمك حق لك يعيننا "
    "على التحسين.",
    "To raise the quality of our services and keep improving how we deliver "
    "them, please answer the following questions. It takes only a few minutes; "
    "rating our service is your right and helps us improve.",
)
QUESTIONS = [
    (
        "rating",
        "ما مدى رضاك عن الخدمة المقدمة لك بشكل عام؟",
        "Overall, how satisfied are you with the service you received?",
        True,
        [],
    ),
    (
        "rating",
        "ما مدى رضاك عن تعامل الموظف الذي خدمك ولباقته؟",
        "How satisfied are you with the courtesy of the staff member who served you?",
        True,
        [],
    ),
    (
        "rating",
        "ما مدى رضاك عن سرعة إنجاز طلبك؟",
        "How satisfied are you with how quickly your request was handled?",
        True,
        [],
    ),
    (
        "yes_no",
        "هل وضّحنا لك الإجراءات والمستندات المطلوبة بشكل كافٍ؟",
        "Did we explain the steps and the documents needed clearly?",
        True,
        [],
    ),
    (
        "single",
        "كيف تواصلت معنا غالبًا؟",
        "How did you mostly reach us?",
        False,
        [
            ("زيارة مقر الجمعية", "Visiting the association"),
            ("الهاتف", "Phone"),
            ("الموقع الإلكتروني", "Website"),
            ("الباحث الاجتماعي", "Social researcher"),
        ],
    ),
    (
        "nps",
        "ما مدى احتمال أن توصي بخدمات الجمعية لمن يحتاجها؟",
        "How likely are you to recommend the association's services to someone "
        "who needs them?",
        False,
        [],
    ),
    (
        "text",
        "ما مقترحاتك لتحسين خدماتنا؟",
        "What would you suggest to improve our services?",
        False,
        [],
    ),
]
# The demo's answers: (ratings of the three questions, NPS, comment).
ANSWERS = [
    ((5, 5, 4), 9, "شكرًا لحسن التعامل وسرعة الإنجاز."),
    ((4, 5, 3), 8, "نأمل تقليل مدة انتظار القرار."),
    ((3, 4, 2), 6, ""),
]


def default_questionnaire(org: Organization, actor=None) -> Questionnaire:
    """The satisfaction questionnaire every association starts with."""
    questionnaire = services.create_questionnaire(
        actor=actor,
        organization=org,
        data={
            "title_ar": TITLE[0],
            "title_en": TITLE[1],
            "intro_ar": INTRO[0],
            "intro_en": INTRO[1],
            "trigger": "closed",
            "on_programme_end": True,
        },
        services=list(Service.objects.all()),
    )
    for kind, text_ar, text_en, required, choices in QUESTIONS:
        services.save_question(
            actor=actor,
            questionnaire=questionnaire,
            data={
                "kind": kind,
                "text_ar": text_ar,
                "text_en": text_en,
                "required": required,
            },
            choices=choices,
        )
    return questionnaire


def _values(version, ratings, nps, comment) -> dict:
    values, rated = {}, iter(ratings)
    for question in version.questions.prefetch_related("choices"):
        if question.kind == "rating":
            values[question.pk] = next(rated)
        elif question.kind == "nps":
            values[question.pk] = nps
        elif question.kind == "yes_no":
            values[question.pk] = "yes"
        elif question.kind == "single":
            values[question.pk] = question.choices.all()[0].pk
        elif question.kind == "text":
            values[question.pk] = comment
    return values


def create_demo_surveys(org: Organization) -> int:
    """The questionnaire, three invitations (two answered) and a paper answer,
    once per association; how many responses were made."""
    with scope(organization=org):
        if Questionnaire.objects.exists():
            return 0
        staff = (
            Membership.objects.filter(role=Role.SERVICES, is_active=True)
            .select_related("user")
            .first()
        )
        reception = (
            Membership.objects.filter(role=Role.RECEPTION, is_active=True)
            .select_related("user")
            .first()
        )
        people = list(Beneficiary.objects.order_by("id")[2:5])
        service = Service.objects.order_by("id").first()
        questionnaire = default_questionnaire(org)
        if len(people) < 3 or staff is None or reception is None:
            return 0
        version = questionnaire.current_version()
        sent = [
            invite(
                questionnaire=questionnaire,
                beneficiary=person,
                programme_key="demo",
                service=service,
                staff=staff.user,
            )
            for person in people
        ]
        for invitation, (ratings, nps, comment) in zip(
            sent[:2], ANSWERS[:2], strict=True
        ):
            services.submit_response(
                invitation=invitation,
                version=version,
                values=_values(version, ratings, nps, comment),
            )
        ratings, nps, comment = ANSWERS[2]
        services.enter_paper_response(
            actor=reception.user,
            questionnaire=questionnaire,
            version=version,
            values=_values(version, ratings, nps, comment),
            answered_on=timezone.localdate() - datetime.timedelta(days=3),
            beneficiary=people[2],
            service=service,
            staff=staff.user,
        )
        return 3
