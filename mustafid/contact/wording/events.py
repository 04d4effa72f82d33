"""The events a message tells, their placeholders and default wording.

Each event lists the placeholders its wording may use (besides the common
ones), and the default text in Arabic and English: one short text for SMS and
WhatsApp, a subject and a body for email and letters. An association that has
not written its own template gets these (`NotificationTemplate`).

The wording is courteous plain Arabic (P-RECEIVE); a refusal lists the reasons
and the conditions not met (P-ELIGIBILITY); the receipt gives the expected
decision date (P-COMMITTEE). No placeholder carries an identity number
(P-PRIVACY).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

COMMON = {
    "beneficiary_name": _("beneficiary's name (first and family name)"),
    "association_name": _("association's name"),
    "association_phone": _("association's phone"),
}
SHORT_METHODS = ("sms", "whatsapp")
LONG_METHODS = ("email", "letter")
LANGUAGES = ("ar", "en")

CASE_NUMBER = _("request number")
SERVICE = _("service")


@dataclass(frozen=True)
class Wording:
    short: str
    subject: str
    body: str


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    placeholders: dict = field(default_factory=dict)
    # Switches for {% if %}: true or false, never shown as text.
    switches: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)  # language -> Wording
    for_staff: bool = False
    # Placeholders whose value must not stay readable once sent (a one-time
    # code): the stored text is masked, and the message ignores quiet hours.
    secret: tuple = ()

    def all_placeholders(self) -> dict:
        return COMMON | self.placeholders | self.switches

    def default(self, method: str, language: str) -> tuple[str, str]:
        """(subject, body) of the default wording."""
        wording = self.defaults[language]
        if method in SHORT_METHODS:
            return "", wording.short
        return wording.subject, wording.body


# Shared endings of the long texts.
_CLOSE_AR = (
    "\n\nوتفضلوا بقبول فائق الاحترام والتقدير،\n{{ association_name }}"
    "{% if association_phone %}\nهاتف: {{ association_phone }}{% endif %}"
)
_CLOSE_EN = (
    "\n\nKind regards,\n{{ association_name }}"
    "{% if association_phone %}\nPhone: {{ association_phone }}{% endif %}"
)
_HELLO_AR = "السلام عليكم ورحمة الله وبركاته،\n\nالمكرم/ة {{ beneficiary_name }}،\n\n"
_HELLO_EN = "Dear {{ beneficiary_name }},\n\n"
_CALL_AR = "{% if association_phone %}\nللاستفسار: {{ association_phone }}{% endif %}"
_CALL_EN = "{% if association_phone %}\nQuestions: {{ association_phone }}{% endif %}"


# The sender's page of a feedback item (status, reopen, the satisfaction question).
_FOLLOW = _("link to follow the item")
_LINK_AR = "{% if link %}\nللمتابعة: {{ link }}{% endif %}"
_LINK_EN = "{% if link %}\nFollow it: {{ link }}{% endif %}"
_REOPEN_AR = "{% if link %}\nلإعادة فتحها: {{ link }}{% endif %}"
_REOPEN_EN = "{% if link %}\nTo reopen it: {{ link }}{% endif %}"


def _long(subject_ar, body_ar, subject_en, body_en):
    return (
        subject_ar,
        _HELLO_AR + body_ar + _CLOSE_AR,
        subject_en,
        _HELLO_EN + body_en + _CLOSE_EN,
    )


def _event(code, label, placeholders, short_ar, short_en, long, **extra) -> Event:
    subject_ar, body_ar, subject_en, body_en = long
    return Event(
        code=code,
        label=label,
        placeholders=placeholders,
        defaults={
            "ar": Wording(short_ar, subject_ar, body_ar),
            "en": Wording(short_en, subject_en, body_en),
        },
        **extra,
    )


_CASE = {"case_number": CASE_NUMBER, "service": SERVICE}

EVENTS: dict[str, Event] = {
    event.code: event
    for event in [
        _event(
            "case_received",
            _("Request received"),
            _CASE | {"decision_due": _("expected decision date")},
            "{{ beneficiary_name }}، تسلمت {{ association_name }} طلبك رقم "
            "{{ case_number }} لخدمة «{{ service }}»، وسيصلك القرار بإذن الله في "
            "موعد أقصاه {{ decision_due }}." + _CALL_AR,
            "{{ beneficiary_name }}, {{ association_name }} received your request "
            "{{ case_number }} for {{ service }}. You will have our decision by "
            "{{ decision_due }}." + _CALL_EN,
            _long(
                "تسلمنا طلبك رقم {{ case_number }}",
                "نشكر لك تواصلك معنا، ونفيدك بأننا تسلمنا طلبك رقم {{ case_number }} "
                "لخدمة «{{ service }}».\n\nستدرس لجنة البحث طلبك، وسيصلك القرار بإذن "
                "الله في موعد أقصاه {{ decision_due }}.",
                "We received your request {{ case_number }}",
                "Thank you for contacting us. We have received your request "
                "{{ case_number }} for {{ service }}.\n\nThe research committee will "
                "study it, and you will have our decision by {{ decision_due }}.",
            ),
        ),
        _event(
            "documents_missing",
            _("Documents missing"),
            _CASE | {"missing": _("what is missing (one per line)")},
            "{{ beneficiary_name }}، لإكمال طلبك رقم {{ case_number }} نرجو "
            "تزويدنا بما يلي:\n{{ missing }}\nشاكرين تعاونك." + _CALL_AR,
            "{{ beneficiary_name }}, to complete your request {{ case_number }} "
            "please send us:\n{{ missing }}\nThank you." + _CALL_EN,
            _long(
                "نواقص طلبك رقم {{ case_number }}",
                "نشكر لك تقديم طلبك رقم {{ case_number }} لخدمة «{{ service }}»، "
                "ولإكماله نرجو تزويدنا بما يلي:\n\n{{ missing }}\n\nوسنتابع دراسة "
                "طلبك فور وصولها.",
                "Your request {{ case_number }}: what is missing",
                "Thank you for your request {{ case_number }} for {{ service }}. "
                "To complete it, please send us:\n\n{{ missing }}\n\nWe will "
                "continue with your request as soon as we receive them.",
            ),
        ),
        _event(
            "decision",
            _("Decision on a request"),
            _CASE
            | {
                "reasons": _("reasons of the decision (one per line)"),
                "failed_conditions": _("conditions not met (one per line)"),
            },
            "{{ beneficiary_name }}، {% if approved %}يسرنا إبلاغك بقبول طلبك رقم "
            "{{ case_number }} لخدمة «{{ service }}»، وسنتواصل معك لترتيب "
            "التسليم.{% else %}نأسف لإبلاغك بعدم قبول طلبك رقم {{ case_number }} "
            "للأسباب التالية:\n{{ reasons }}{% if failed_conditions %}\nالشروط غير "
            "المستوفاة:\n{{ failed_conditions }}{% endif %}{% endif %}" + _CALL_AR,
            "{{ beneficiary_name }}, {% if approved %}we are pleased to tell you "
            "that your request {{ case_number }} for {{ service }} was approved. "
            "We will contact you to arrange delivery.{% else %}we regret that your "
            "request {{ case_number }} was not approved, for these reasons:\n"
            "{{ reasons }}{% if failed_conditions %}\nConditions not met:\n"
            "{{ failed_conditions }}{% endif %}{% endif %}" + _CALL_EN,
            _long(
                "القرار في طلبك رقم {{ case_number }}",
                "{% if approved %}يسرنا إبلاغك بأن طلبك رقم {{ case_number }} لخدمة "
                "«{{ service }}» قد قُبل.{% if reasons %}\n\n{{ reasons }}{% endif %}"
                "\n\nوسنتواصل معك قريبًا لترتيب التسليم.{% else %}نشكر لك ثقتك، "
                "ونأسف لإبلاغك بأن طلبك رقم {{ case_number }} لخدمة «{{ service }}» "
                "لم يُقبل، وذلك للأسباب التالية:\n\n{{ reasons }}"
                "{% if failed_conditions %}\n\nالشروط التي لم تُستوفَ:\n\n"
                "{{ failed_conditions }}{% endif %}\n\nيسعدنا استقبال طلبك مجددًا "
                "متى تغيّرت ظروفك، ولك الحق في الاستفسار عن القرار.{% endif %}",
                "Decision on your request {{ case_number }}",
                "{% if approved %}We are pleased to tell you that your request "
                "{{ case_number }} for {{ service }} was approved.{% if reasons %}"
                "\n\n{{ reasons }}{% endif %}\n\nWe will contact you soon to arrange "
                "delivery.{% else %}Thank you for your trust. We regret to tell you "
                "that your request {{ case_number }} for {{ service }} was not "
                "approved, for these reasons:\n\n{{ reasons }}"
                "{% if failed_conditions %}\n\nConditions not met:\n\n"
                "{{ failed_conditions }}{% endif %}\n\nYou are welcome to apply "
                "again when your circumstances change, and to ask us about this "
                "decision.{% endif %}",
            ),
            switches={"approved": _("approved (true or false)")},
        ),
        _event(
            "delivery_scheduled",
            _("Delivery under way"),
            _CASE,
            "{{ beneficiary_name }}، بدأنا تسليم خدمة «{{ service }}» لطلبك رقم "
            "{{ case_number }}، وسنتواصل معك لتحديد الموعد." + _CALL_AR,
            "{{ beneficiary_name }}, we have started delivering {{ service }} "
            "for your request {{ case_number }} and will contact you to agree "
            "the time." + _CALL_EN,
            _long(
                "تسليم خدمة «{{ service }}»",
                "يسرنا إبلاغك بأننا بدأنا تسليم خدمة «{{ service }}» لطلبك رقم "
                "{{ case_number }}، وسنتواصل معك لتحديد الموعد المناسب.",
                "Delivery of {{ service }}",
                "We are pleased to tell you that we have started delivering "
                "{{ service }} for your request {{ case_number }}. We will contact "
                "you to agree a suitable time.",
            ),
        ),
        _event(
            "permit_result",
            _("Answer of another authority"),
            _CASE
            | {
                "authority": _("authority"),
                "answered_on": _("date of the answer"),
            },
            "{{ beneficiary_name }}، وصلنا رد {{ authority }} بشأن طلبك رقم "
            "{{ case_number }} بتاريخ {{ answered_on }}: {% if granted %}بالموافقة"
            "، وسنستكمل إجراءات طلبك.{% else %}بعدم الموافقة، وسنبلغك بما يترتب "
            "عليه.{% endif %}" + _CALL_AR,
            "{{ beneficiary_name }}, {{ authority }} answered on {{ answered_on }} "
            "about your request {{ case_number }}: {% if granted %}it was granted, "
            "and we will continue with your request.{% else %}it was refused; we "
            "will tell you what follows.{% endif %}" + _CALL_EN,
            _long(
                "رد {{ authority }} على طلبك رقم {{ case_number }}",
                "نفيدك بأنه وصلنا بتاريخ {{ answered_on }} رد {{ authority }} بشأن "
                "طلبك رقم {{ case_number }} لخدمة «{{ service }}»، وذلك "
                "{% if granted %}بالموافقة، وسنستكمل إجراءات طلبك.{% else %}بعدم "
                "الموافقة، وسنبلغك بما يترتب على ذلك.{% endif %}",
                "{{ authority }} answered about your request {{ case_number }}",
                "On {{ answered_on }} we received the answer of {{ authority }} "
                "about your request {{ case_number }} for {{ service }}: "
                "{% if granted %}it was granted, and we will continue with your "
                "request.{% else %}it was refused, and we will tell you what "
                "follows.{% endif %}",
            ),
            switches={"granted": _("granted (true or false)")},
        ),
        _event(
            "case_reopened",
            _("Request reopened"),
            _CASE | {"decision_due": _("expected decision date")},
            "{{ beneficiary_name }}، أُعيد فتح طلبك رقم {{ case_number }} لخدمة "
            "«{{ service }}» لدراسته من جديد، وسيصلك القرار بإذن الله في موعد "
            "أقصاه {{ decision_due }}." + _CALL_AR,
            "{{ beneficiary_name }}, your request {{ case_number }} for "
            "{{ service }} was reopened to be studied again. You will have our "
            "decision by {{ decision_due }}." + _CALL_EN,
            _long(
                "إعادة فتح طلبك رقم {{ case_number }}",
                "نفيدك بأنه أُعيد فتح طلبك رقم {{ case_number }} لخدمة "
                "«{{ service }}» لدراسته من جديد، وسيصلك القرار بإذن الله في موعد "
                "أقصاه {{ decision_due }}.",
                "Your request {{ case_number }} was reopened",
                "Your request {{ case_number }} for {{ service }} was reopened to "
                "be studied again. You will have our decision by {{ decision_due }}.",
            ),
        ),
        _event(
            "referred_out",
            _("Request referred to another association"),
            _CASE
            | {
                "referred_to": _("association referred to"),
                "referred_to_phone": _("its phone"),
                "referred_to_city": _("its city"),
                "referral_reason": _("reason for the referral"),
            },
            "{{ beneficiary_name }}، أحلنا طلبك رقم {{ case_number }} إلى "
            "{{ referred_to }} لأنها الجهة المختصة بخدمتك{% if referred_to_phone %}"
            "، وهاتفها {{ referred_to_phone }}{% endif %}." + _CALL_AR,
            "{{ beneficiary_name }}, we referred your request {{ case_number }} "
            "to {{ referred_to }}, which provides this service"
            "{% if referred_to_phone %} (phone {{ referred_to_phone }}){% endif %}."
            + _CALL_EN,
            _long(
                "إحالة طلبك رقم {{ case_number }}",
                "حرصًا على خدمتك، أحلنا طلبك رقم {{ case_number }} لخدمة "
                "«{{ service }}» إلى {{ referred_to }}"
                "{% if referred_to_city %} في {{ referred_to_city }}{% endif %}، "
                "لأنها الجهة المختصة بهذه الخدمة.{% if referral_reason %}\n\n"
                "{{ referral_reason }}{% endif %}{% if referred_to_phone %}\n\n"
                "ويمكنك التواصل معها على الرقم {{ referred_to_phone }}.{% endif %}",
                "Your request {{ case_number }} was referred",
                "To serve you best, we referred your request {{ case_number }} for "
                "{{ service }} to {{ referred_to }}{% if referred_to_city %} in "
                "{{ referred_to_city }}{% endif %}, which provides this service."
                "{% if referral_reason %}\n\n{{ referral_reason }}{% endif %}"
                "{% if referred_to_phone %}\n\nYou can reach them on "
                "{{ referred_to_phone }}.{% endif %}",
            ),
        ),
        _event(
            "referral_accepted",
            _("Referral accepted"),
            _CASE
            | {
                "referred_to": _("association referred to"),
                "referred_to_phone": _("its phone"),
            },
            "{{ beneficiary_name }}، قبلت {{ referred_to }} طلبك رقم "
            "{{ case_number }}، وستتواصل معك{% if referred_to_phone %}، وهاتفها "
            "{{ referred_to_phone }}{% endif %}.",
            "{{ beneficiary_name }}, {{ referred_to }} accepted your request "
            "{{ case_number }} and will contact you{% if referred_to_phone %} "
            "(phone {{ referred_to_phone }}){% endif %}.",
            _long(
                "قبول إحالة طلبك رقم {{ case_number }}",
                "يسرنا إبلاغك بأن {{ referred_to }} قبلت طلبك رقم {{ case_number }} "
                "لخدمة «{{ service }}»، وستتواصل معك لاستكمال خدمتك."
                "{% if referred_to_phone %}\n\nهاتفها: {{ referred_to_phone }}"
                "{% endif %}",
                "Your referral {{ case_number }} was accepted",
                "We are pleased to tell you that {{ referred_to }} accepted your "
                "request {{ case_number }} for {{ service }} and will contact you."
                "{% if referred_to_phone %}\n\nTheir phone: {{ referred_to_phone }}"
                "{% endif %}",
            ),
        ),
        _event(
            "referral_declined",
            _("Referral declined"),
            _CASE
            | {
                "referred_to": _("association referred to"),
                "decline_reason": _("reason it was declined"),
            },
            "{{ beneficiary_name }}، اعتذرت {{ referred_to }} عن طلبك رقم "
            "{{ case_number }}{% if decline_reason %}: {{ decline_reason }}"
            "{% endif %}. سنتواصل معك لبحث البدائل." + _CALL_AR,
            "{{ beneficiary_name }}, {{ referred_to }} declined your request "
            "{{ case_number }}{% if decline_reason %}: {{ decline_reason }}"
            "{% endif %}. We will contact you about other options." + _CALL_EN,
            _long(
                "اعتذار عن إحالة طلبك رقم {{ case_number }}",
                "نأسف لإبلاغك بأن {{ referred_to }} اعتذرت عن طلبك رقم "
                "{{ case_number }} لخدمة «{{ service }}»{% if decline_reason %}، "
                "وذلك للسبب التالي:\n\n{{ decline_reason }}{% else %}.{% endif %}"
                "\n\nوسنتواصل معك لبحث البدائل المتاحة.",
                "Your referral {{ case_number }} was declined",
                "We regret to tell you that {{ referred_to }} declined your request "
                "{{ case_number }} for {{ service }}{% if decline_reason %}, for "
                "this reason:\n\n{{ decline_reason }}{% else %}.{% endif %}\n\n"
                "We will contact you about the other options.",
            ),
        ),
        _event(
            "referral_completed",
            _("Referral completed"),
            _CASE | {"referred_to": _("association referred to")},
            "{{ beneficiary_name }}، أتمت {{ referred_to }} خدمتك في طلبك رقم "
            "{{ case_number }}. نسعد بخدمتك دائمًا." + _CALL_AR,
            "{{ beneficiary_name }}, {{ referred_to }} has completed the service "
            "for your request {{ case_number }}. We are always glad to help."
            + _CALL_EN,
            _long(
                "اكتمال خدمتك في طلبك رقم {{ case_number }}",
                "نفيدك بأن {{ referred_to }} أتمت تقديم خدمة «{{ service }}» لك في "
                "طلبك رقم {{ case_number }}، ونسعد بخدمتك دائمًا.",
                "Your request {{ case_number }} was completed",
                "{{ referred_to }} has completed {{ service }} for your request "
                "{{ case_number }}. We are always glad to help.",
            ),
        ),
        _event(
            "review_due",
            _("Periodic review due"),
            _CASE
            | {
                "review_reason": _("why the review is due"),
                "due_on": _("date to review by"),
                "suspend_on": _("date the service stops without review"),
            },
            "{{ beneficiary_name }}، حان موعد مراجعة بياناتك لخدمة «{{ service }}»"
            " ({{ review_reason }}). نرجو تحديثها قبل {{ due_on }} لتستمر "
            "الخدمة." + _CALL_AR,
            "{{ beneficiary_name }}, it is time to review your details for "
            "{{ service }} ({{ review_reason }}). Please update them by "
            "{{ due_on }} so the service continues." + _CALL_EN,
            _long(
                "مراجعة بياناتك لخدمة «{{ service }}»",
                "حرصًا على استمرار خدمتك، حان موعد مراجعة بياناتك لخدمة "
                "«{{ service }}» ({{ review_reason }}).\n\nنرجو تحديث بياناتك "
                "ومستنداتك قبل {{ due_on }}، علمًا بأن الخدمة تتوقف في "
                "{{ suspend_on }} إن لم تتم المراجعة.",
                "Review of your details for {{ service }}",
                "So that your service continues, it is time to review your details "
                "for {{ service }} ({{ review_reason }}).\n\nPlease update your "
                "details and documents by {{ due_on }}; the service stops on "
                "{{ suspend_on }} if the review is not done.",
            ),
        ),
        _event(
            "review_completed",
            _("Periodic review completed"),
            {
                "service": SERVICE,
                "reasons": _("reasons (one per line)"),
                "failed_conditions": _("conditions not met (one per line)"),
            },
            "{{ beneficiary_name }}، {% if renewed %}تمت مراجعة بياناتك وتستمر "
            "خدمة «{{ service }}». شكرًا لتعاونك.{% else %}بعد مراجعة بياناتك "
            "نأسف لإبلاغك بتوقف خدمة «{{ service }}»:\n{{ failed_conditions }}"
            "{% if reasons %}\n{{ reasons }}{% endif %}{% endif %}" + _CALL_AR,
            "{{ beneficiary_name }}, {% if renewed %}your review is complete and "
            "{{ service }} continues. Thank you.{% else %}after reviewing your "
            "details, we regret that {{ service }} stops:\n{{ failed_conditions }}"
            "{% if reasons %}\n{{ reasons }}{% endif %}{% endif %}" + _CALL_EN,
            _long(
                "نتيجة مراجعة بياناتك لخدمة «{{ service }}»",
                "{% if renewed %}نشكر لك تعاونك، ونفيدك بأنه تمت مراجعة بياناتك "
                "وتستمر خدمة «{{ service }}».{% else %}نشكر لك تعاونك، ونأسف "
                "لإبلاغك بأنه بعد مراجعة بياناتك تتوقف خدمة «{{ service }}» لعدم "
                "استيفاء الشروط التالية:\n\n{{ failed_conditions }}"
                "{% if reasons %}\n\n{{ reasons }}{% endif %}\n\nيسعدنا استقبال "
                "طلبك مجددًا متى تغيّرت ظروفك.{% endif %}",
                "Result of the review of your details for {{ service }}",
                "{% if renewed %}Thank you for your cooperation. Your details were "
                "reviewed and {{ service }} continues.{% else %}Thank you for your "
                "cooperation. We regret that, after reviewing your details, "
                "{{ service }} stops because these conditions are not met:\n\n"
                "{{ failed_conditions }}{% if reasons %}\n\n{{ reasons }}{% endif %}"
                "\n\nYou are welcome to apply again when your circumstances "
                "change.{% endif %}",
            ),
            switches={"renewed": _("renewed (true or false)")},
        ),
        _event(
            "service_match",
            _("A service you may qualify for"),
            {"service": SERVICE, "conditions": _("its conditions (one per line)")},
            "{{ beneficiary_name }}، قد تكون مؤهلًا لخدمة «{{ service }}» لدى "
            "{{ association_name }}. يسعدنا استقبال طلبك." + _CALL_AR,
            "{{ beneficiary_name }}, you may qualify for {{ service }} at "
            "{{ association_name }}. We would be glad to receive your request."
            + _CALL_EN,
            _long(
                "خدمة قد تناسبك: «{{ service }}»",
                "يسرنا إبلاغك بأنك قد تكون مؤهلًا لخدمة «{{ service }}»، وشروطها:"
                "\n\n{{ conditions }}\n\nيسعدنا استقبال طلبك.",
                "A service you may qualify for: {{ service }}",
                "We are pleased to tell you that you may qualify for {{ service }}. "
                "Its conditions:\n\n{{ conditions }}\n\nWe would be glad to receive "
                "your request.",
            ),
        ),
        _event(
            "inquiry_answered",
            _("Inquiry answered"),
            {
                "reference": _("inquiry reference"),
                "question": _("the question"),
                "answer": _("the answer"),
            },
            "{{ beneficiary_name }}، ردًا على استفسارك رقم {{ reference }}:\n"
            "{{ answer }}" + _CALL_AR,
            "{{ beneficiary_name }}, in answer to your inquiry {{ reference }}:\n"
            "{{ answer }}" + _CALL_EN,
            _long(
                "الرد على استفسارك رقم {{ reference }}",
                "نشكر لك تواصلك معنا. ردًا على استفسارك رقم {{ reference }}:\n\n"
                "«{{ question }}»\n\n{{ answer }}",
                "Answer to your inquiry {{ reference }}",
                "Thank you for contacting us. In answer to your inquiry "
                "{{ reference }}:\n\n“{{ question }}”\n\n{{ answer }}",
            ),
        ),
        _event(
            "survey_invitation",
            _("Satisfaction survey invitation"),
            {"link": _("survey link"), "expires_on": _("last day to answer")},
            "{{ beneficiary_name }}، رأيك يهمنا. نرجو تقييم خدمتنا عبر الرابط: "
            "{{ link }} (متاح حتى {{ expires_on }}).",
            "{{ beneficiary_name }}, your opinion matters. Please rate our service: "
            "{{ link }} (open until {{ expires_on }}).",
            _long(
                "رأيك يهمنا",
                "حرصًا على تحسين خدماتنا، نرجو منك تقييم الخدمة التي قدمناها لك عبر "
                "الرابط التالي:\n\n{{ link }}\n\nالاستبيان متاح حتى {{ expires_on }}،"
                " ولا يستغرق إلا دقائق.",
                "Your opinion matters",
                "To improve our services, please rate the service we gave you:\n\n"
                "{{ link }}\n\nThe survey is open until {{ expires_on }} and takes "
                "only a few minutes.",
            ),
        ),
        _event(
            "one_time_code",
            _("One-time sign-in code"),
            {"code": _("the one-time code"), "minutes": _("minutes it is valid")},
            "رمز التحقق لدى {{ association_name }}: {{ code }}\n"
            "صالح {{ minutes }} دقائق. لا تشاركه مع أحد.",
            "Your {{ association_name }} code: {{ code }}\n"
            "Valid for {{ minutes }} minutes. Do not share it with anyone.",
            _long(
                "رمز التحقق: {{ code }}",
                "رمز التحقق الخاص بك هو {{ code }}، وهو صالح {{ minutes }} دقائق. "
                "لا تشاركه مع أحد؛ لن يطلبه منك موظفو الجمعية.",
                "Your code: {{ code }}",
                "Your one-time code is {{ code }}; it is valid for {{ minutes }} "
                "minutes. Do not share it with anyone: our staff will never ask "
                "for it.",
            ),
            secret=("code",),
        ),
        _event(
            "survey_reminder",
            _("Satisfaction survey reminder"),
            {"link": _("survey link"), "expires_on": _("last day to answer")},
            "{{ beneficiary_name }}، نذكّرك بتقييم خدمتنا، فرأيك يهمنا. الرابط "
            "متاح حتى {{ expires_on }}: {{ link }}",
            "{{ beneficiary_name }}, a reminder: your opinion matters. Please "
            "rate our service by {{ expires_on }}: {{ link }}",
            _long(
                "تذكير: رأيك يهمنا",
                "نذكّرك بأن استبيان تقييم الخدمة التي قدمناها لك ما زال متاحًا حتى "
                "{{ expires_on }} عبر الرابط التالي:\n\n{{ link }}\n\nنشكر لك "
                "وقتك، فملاحظاتك تعيننا على تحسين خدماتنا.",
                "Reminder: your opinion matters",
                "The survey about the service we gave you is still open until "
                "{{ expires_on }}:\n\n{{ link }}\n\nThank you for your time: your "
                "answers help us improve our services.",
            ),
        ),
        _event(
            "complaint_acknowledged",
            _("Complaint received"),
            {"reference": _("complaint reference"), "link": _FOLLOW},
            "{{ beneficiary_name }}، تسلمنا شكواك رقم {{ reference }}، وسنعمل "
            "على معالجتها وإبلاغك بالنتيجة." + _LINK_AR,
            "{{ beneficiary_name }}, we received your complaint {{ reference }}. "
            "We will deal with it and tell you the outcome." + _LINK_EN,
            _long(
                "تسلمنا شكواك رقم {{ reference }}",
                "نشكر لك ملاحظتك، ونفيدك بأننا تسلمنا شكواك رقم {{ reference }}، "
                "وسنعمل على معالجتها وإبلاغك بالنتيجة." + _LINK_AR,
                "We received your complaint {{ reference }}",
                "Thank you for telling us. We have received your complaint "
                "{{ reference }}; we will deal with it and tell you the outcome."
                + _LINK_EN,
            ),
        ),
        _event(
            "complaint_resolved",
            _("Complaint resolved"),
            {
                "reference": _("complaint reference"),
                "resolution": _("what was done"),
                "link": _FOLLOW,
            },
            "{{ beneficiary_name }}، عولجت شكواك رقم {{ reference }}:\n"
            "{{ resolution }}\nشكرًا لملاحظتك." + _REOPEN_AR,
            "{{ beneficiary_name }}, your complaint {{ reference }} was resolved:\n"
            "{{ resolution }}\nThank you for telling us." + _REOPEN_EN,
            _long(
                "معالجة شكواك رقم {{ reference }}",
                "نشكر لك ملاحظتك، ونفيدك بأنه تمت معالجة شكواك رقم {{ reference }} "
                "على النحو التالي:\n\n{{ resolution }}\n\nوإن بقي لديك ما يحتاج إلى "
                "متابعة فيسعدنا تواصلك معنا." + _REOPEN_AR,
                "Your complaint {{ reference }} was resolved",
                "Thank you for telling us. Your complaint {{ reference }} was "
                "resolved as follows:\n\n{{ resolution }}\n\nIf anything still needs "
                "attention, please contact us." + _REOPEN_EN,
            ),
        ),
        _event(
            "data_request_answered",
            _("Data request answered"),
            {
                "reference": _("data request reference"),
                "answer": _("the answer"),
            },
            "{{ beneficiary_name }}، بخصوص طلبك رقم {{ reference }} المتعلق "
            "ببياناتك:\n{{ answer }}" + _CALL_AR,
            "{{ beneficiary_name }}, about your request {{ reference }} about your "
            "data:\n{{ answer }}" + _CALL_EN,
            _long(
                "طلبك رقم {{ reference }} المتعلق ببياناتك",
                "نفيدك بأننا درسنا طلبك رقم {{ reference }} المتعلق ببياناتك "
                "الشخصية، وكان الرد كما يلي:\n\n{{ answer }}",
                "Your request {{ reference }} about your data",
                "We have dealt with your request {{ reference }} about your "
                "personal data. Our answer:\n\n{{ answer }}",
            ),
        ),
        _event(
            "data_request_refused",
            _("Data request refused"),
            {
                "reference": _("data request reference"),
                "answer": _("the reason"),
            },
            "{{ beneficiary_name }}، نعتذر عن تنفيذ طلبك رقم {{ reference }} "
            "المتعلق ببياناتك، للسبب التالي:\n{{ answer }}" + _CALL_AR,
            "{{ beneficiary_name }}, we cannot carry out your request "
            "{{ reference }} about your data, for this reason:\n{{ answer }}"
            + _CALL_EN,
            _long(
                "طلبك رقم {{ reference }} المتعلق ببياناتك",
                "درسنا طلبك رقم {{ reference }} المتعلق ببياناتك الشخصية، "
                "ونعتذر عن تنفيذه للسبب التالي:\n\n{{ answer }}\n\nويسعدنا "
                "تواصلك معنا لأي استفسار.",
                "Your request {{ reference }} about your data",
                "We have studied your request {{ reference }} about your personal "
                "data, and we cannot carry it out, for this reason:\n\n"
                "{{ answer }}\n\nPlease contact us with any question.",
            ),
        ),
        _event(
            "feedback_acknowledged",
            _("Suggestion, compliment or remark received"),
            {"reference": _("reference"), "link": _FOLLOW},
            "{{ beneficiary_name }}، شكرًا لتواصلك مع {{ association_name }}. "
            "تسلمنا ملاحظتك رقم {{ reference }}." + _LINK_AR,
            "{{ beneficiary_name }}, thank you for writing to {{ association_name }}."
            " We received your message {{ reference }}." + _LINK_EN,
            _long(
                "تسلمنا ملاحظتك رقم {{ reference }}",
                "نشكر لك تواصلك معنا، ونفيدك بأننا تسلمنا ملاحظتك رقم "
                "{{ reference }}، وسنطلع عليها باهتمام." + _LINK_AR,
                "We received your message {{ reference }}",
                "Thank you for writing to us. We have received your message "
                "{{ reference }} and will read it with care." + _LINK_EN,
            ),
        ),
        _event(
            "feedback_answered",
            _("Suggestion or remark answered"),
            {"reference": _("reference"), "resolution": _("what was done")},
            "{{ beneficiary_name }}، بخصوص ملاحظتك رقم {{ reference }}:\n"
            "{{ resolution }}\nشكرًا لك." + _CALL_AR,
            "{{ beneficiary_name }}, about your message {{ reference }}:\n"
            "{{ resolution }}\nThank you." + _CALL_EN,
            _long(
                "بخصوص ملاحظتك رقم {{ reference }}",
                "نشكر لك ملاحظتك رقم {{ reference }}، ونفيدك بما يلي:\n\n"
                "{{ resolution }}",
                "About your message {{ reference }}",
                "Thank you for your message {{ reference }}. Our answer:\n\n"
                "{{ resolution }}",
            ),
        ),
        _event(
            "complaint_reopened",
            _("Complaint reopened"),
            {"reference": _("complaint reference"), "due_on": _("answer due on")},
            "{{ beneficiary_name }}، أعيد فتح شكواك رقم {{ reference }}، وسنبلغك "
            "بالنتيجة في موعد أقصاه {{ due_on }}." + _CALL_AR,
            "{{ beneficiary_name }}, your complaint {{ reference }} was reopened. "
            "We will tell you the outcome by {{ due_on }}." + _CALL_EN,
            _long(
                "أعيد فتح شكواك رقم {{ reference }}",
                "نفيدك بأنه أعيد فتح شكواك رقم {{ reference }} لمتابعتها، وسنبلغك "
                "بالنتيجة في موعد أقصاه {{ due_on }}.",
                "Your complaint {{ reference }} was reopened",
                "Your complaint {{ reference }} was reopened for further handling. "
                "We will tell you the outcome by {{ due_on }}.",
            ),
        ),
        _event(
            "dispute_outcome",
            _("Dispute decided"),
            {"reference": _("dispute reference"), "decision": _("the decision")},
            "{{ beneficiary_name }}، صدر القرار في الخلاف رقم {{ reference }}:\n"
            "{{ decision }}" + _CALL_AR,
            "{{ beneficiary_name }}, the decision on dispute {{ reference }}:\n"
            "{{ decision }}" + _CALL_EN,
            _long(
                "القرار في الخلاف رقم {{ reference }}",
                "نفيدك بأنه بعد الاستماع إلى أطراف الخلاف رقم {{ reference }} صدر "
                "القرار الآتي وفق الضوابط المعتمدة:\n\n{{ decision }}",
                "The decision on dispute {{ reference }}",
                "Having heard the parties to dispute {{ reference }}, the "
                "association decided as follows, by its approved rules:\n\n"
                "{{ decision }}",
            ),
        ),
        _event(
            "complaint_satisfaction",
            _("Satisfaction with the handling of a complaint"),
            {"reference": _("complaint reference"), "link": _("answer link")},
            "{{ beneficiary_name }}، أغلقت شكواك رقم {{ reference }}. ما مدى رضاك "
            "عن طريقة معالجتها؟ سؤال واحد: {{ link }}",
            "{{ beneficiary_name }}, your complaint {{ reference }} is closed. How "
            "satisfied are you with how it was handled? One question: {{ link }}",
            _long(
                "ما مدى رضاك عن معالجة شكواك؟",
                "أغلقت شكواك رقم {{ reference }}. يهمنا أن نعرف مدى رضاك عن طريقة "
                "معالجتها، بالإجابة عن سؤال واحد عبر الرابط:\n\n{{ link }}",
                "How satisfied are you with the handling of your complaint?",
                "Your complaint {{ reference }} is closed. Please tell us how "
                "satisfied you are with how it was handled; one question:\n\n"
                "{{ link }}",
            ),
        ),
        _event(
            "feedback_escalated",
            _("Complaint past its target raised (staff)"),
            {
                "staff_name": _("staff member's name"),
                "reference": _("complaint reference"),
                "level": _("raised to"),
                "due_on": _("resolution due on"),
            },
            "{{ staff_name }}، البند رقم {{ reference }} تجاوز موعد المعالجة "
            "({{ due_on }}) ورُفع إلى: {{ level }}.",
            "{{ staff_name }}, item {{ reference }} passed its resolution target "
            "({{ due_on }}) and was raised to: {{ level }}.",
            (
                "تصعيد: البند رقم {{ reference }}",
                "{{ staff_name }}،\n\nالبند رقم {{ reference }} تجاوز موعد "
                "المعالجة ({{ due_on }}) ورُفع إلى: {{ level }}. نرجو متابعته دون "
                "تأخير.\n\n{{ association_name }}",
                "Raised: item {{ reference }}",
                "{{ staff_name }},\n\nItem {{ reference }} passed its resolution "
                "target ({{ due_on }}) and was raised to: {{ level }}. Please follow "
                "it up without delay.\n\n{{ association_name }}",
            ),
            for_staff=True,
        ),
        _event(
            "deadline_reminder",
            _("Decision deadline reminder (staff)"),
            _CASE
            | {
                "staff_name": _("staff member's name"),
                "due_on": _("decision due on"),
                "days_left": _("days left"),
            },
            "{{ staff_name }}، الطلب رقم {{ case_number }} لخدمة «{{ service }}» "
            "يستحق القرار فيه في {{ due_on }}، والأيام المتبقية: {{ days_left }}.",
            "{{ staff_name }}, request {{ case_number }} for {{ service }} must be "
            "decided by {{ due_on }} ({{ days_left }} days left).",
            (
                "تذكير: الطلب رقم {{ case_number }}",
                "{{ staff_name }}،\n\nيستحق القرار في الطلب رقم {{ case_number }} "
                "لخدمة «{{ service }}» في {{ due_on }}، والأيام المتبقية: "
                "{{ days_left }}.\n\n{{ association_name }}",
                "Reminder: request {{ case_number }}",
                "{{ staff_name }},\n\nRequest {{ case_number }} for {{ service }} "
                "must be decided by {{ due_on }}, {{ days_left }} days from now."
                "\n\n{{ association_name }}",
            ),
            for_staff=True,
        ),
        _event(
            "inquiry_overdue",
            _("Inquiry past its response target (staff)"),
            {
                "staff_name": _("staff member's name"),
                "reference": _("inquiry reference"),
                "due_on": _("answer due on"),
            },
            "{{ staff_name }}، الاستفسار رقم {{ reference }} تجاوز موعد الرد "
            "({{ due_on }}) ولم يُجب بعد.",
            "{{ staff_name }}, inquiry {{ reference }} was due an answer on "
            "{{ due_on }} and is still open.",
            (
                "تذكير: الاستفسار رقم {{ reference }} متأخر",
                "{{ staff_name }}،\n\nالاستفسار رقم {{ reference }} تجاوز موعد الرد "
                "({{ due_on }}) ولم يُجب بعد. نرجو الرد عليه دون تأخير.\n\n"
                "{{ association_name }}",
                "Reminder: inquiry {{ reference }} is overdue",
                "{{ staff_name }},\n\nInquiry {{ reference }} was due an answer on "
                "{{ due_on }} and is still open. Please answer it without delay."
                "\n\n{{ association_name }}",
            ),
            for_staff=True,
        ),
        _event(
            "policy_review_due",
            _("Yearly policy review due (staff)"),
            {
                "staff_name": _("staff member's name"),
                "policy_number": _("policy version"),
                "approved_on": _("approved by the board on"),
            },
            "{{ staff_name }}، مضى عام على اعتماد سياسة تنظيم العلاقة مع المستفيدين "
            "(الإصدار {{ policy_number }}، {{ approved_on }})؛ حان موعد مراجعتها "
            "السنوية.",
            "{{ staff_name }}, the beneficiary relationship policy (version "
            "{{ policy_number }}, {{ approved_on }}) is a year old: its yearly review "
            "is due.",
            (
                "حان موعد المراجعة السنوية للسياسة",
                "{{ staff_name }}،\n\nمضى عام على اعتماد مجلس الإدارة لسياسة "
                "تنظيم العلاقة مع المستفيدين (الإصدار {{ policy_number }}، "
                "{{ approved_on }}). نرجو عرضها للمراجعة والتحديث السنوي.\n\n"
                "{{ association_name }}",
                "The yearly policy review is due",
                "{{ staff_name }},\n\nThe board approved the beneficiary relationship "
                "policy (version {{ policy_number }}) on {{ approved_on }}, a year ago."
                " Please put it up for its yearly review.\n\n{{ association_name }}",
            ),
            for_staff=True,
        ),
    ]
}


class UnknownEvent(LookupError):
    """No such event in the catalogue."""


def get_event(code: str) -> Event:
    try:
        return EVENTS[code]
    except KeyError:
        raise UnknownEvent(f"Unknown notification event: {code!r}") from None
