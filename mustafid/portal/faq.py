"""The association's public questions and answers (P-TRANSPARENCY, P-INFO).

Every association starts with five answers written from its own settings (what
it offers, how long a decision takes, which documents, how to complain, how data
is protected); staff holding MANAGE_PORTAL reword, reorder, add and unpublish.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from mustafid.core import audit
from mustafid.core.models import AuditAction, Organization, bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager
from mustafid.portal.default_texts import arabic_days, english_days


class FaqQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FaqEntry(TenantModel):
    question_ar = models.CharField(_("question (Arabic)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_ar = models.TextField(_("answer (Arabic)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    # Which default answer this began as ("" for one staff added).
    default_key = models.SlugField(max_length=30, blank=True, editable=False)

    objects = tenant_manager(FaqQuerySet)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        constraints = [
            # Two first visitors at once write the defaults once.
            models.UniqueConstraint(
                fields=["organization", "default_key"],
                condition=~models.Q(default_key=""),
                name="faq_default_once_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def question(self) -> str:
        return bilingual(self.question_ar, self.question_en)

    @property
    def answer(self) -> str:
        return bilingual(self.answer_ar, self.answer_en)


FIELDS = (
    "question_ar",
    "question_en",
    "answer_ar",
    "answer_en",
    "position",
    "is_published",
)


def default_entries(organization: Organization) -> list[dict]:
    """The five starting answers, from the association's services and settings."""
    from mustafid.catalog.models import Service
    from mustafid.contact.models import Channel
    from mustafid.registry.models import DocumentType

    services = list(Service.objects.open_for_intake().order_by("name_ar"))
    documents = list(
        DocumentType.objects.filter(
            is_active=True,
            pk__in=Service.required_documents.through.objects.filter(
                service__in=services
            ).values("documenttype_id"),
        )
    ) or list(DocumentType.objects.filter(is_active=True)[:5])
    channels = list(Channel.objects.enabled())
    window = (organization.decision_window_days, organization.decision_days_kind)
    inquiry = (organization.inquiry_target_days, organization.inquiry_days_kind)
    name_ar = organization.name_ar
    name_en = organization.name_en or organization.name_ar

    def listed_ar(items, attr="name_ar"):
        return "، ".join(getattr(item, attr) for item in items)

    def listed_en(items):
        return ", ".join(item.name_en or item.name_ar for item in items)

    offers_ar = (
        f"تقدّم {name_ar} الخدمات التالية: {listed_ar(services)}. "
        "تجد في صفحة الخدمات شروط كل خدمة ومستنداتها ومدة الرد عليها."
        if services
        else f"تجد خدمات {name_ar} وشروط كل خدمة في صفحة الخدمات."
    )
    offers_en = (
        f"{name_en} offers: {listed_en(services)}. The services page gives each "
        "service's conditions, documents and answer time."
        if services
        else f"The services page lists what {name_en} offers and each one's conditions."
    )
    documents_ar = (
        "تختلف المستندات بحسب الخدمة، وتجدها في صفحة الخدمات. وأكثر ما يُطلب: "
        f"{listed_ar(documents)}."
    )
    documents_en = (
        "The documents depend on the service; the services page lists them. Most "
        f"often asked for: {listed_en(documents)}."
    )
    channels_ar = f" أو عبر: {listed_ar(channels)}" if channels else ""
    channels_en = f", or through: {listed_en(channels)}" if channels else ""
    return [
        {
            "default_key": "offers",
            "question_ar": "ماذا تقدّم الجمعية؟",
            "question_en": "What does the association offer?",
            "answer_ar": offers_ar,
            "answer_en": offers_en,
        },
        {
            "default_key": "decision_time",
            "question_ar": "متى أعرف نتيجة طلبي؟",
            "question_en": "When will I know the answer to my request?",
            "answer_ar": "بعد اكتمال طلبك ومستنداته يُدرس ويُرفع إلى لجنة البحث، "
            f"وتبلغك الجمعية بالقبول أو الرفض خلال {arabic_days(*window)}، "
            "وإن رُفض أخبرناك بالسبب.",
            "answer_en": "Once your request and its documents are complete it is "
            "studied and goes to the research committee; the association tells you "
            f"whether it is accepted or rejected within {english_days(*window)}, "
            "and why if it is rejected.",
        },
        {
            "default_key": "documents",
            "question_ar": "ما المستندات المطلوبة؟",
            "question_en": "Which documents do I need?",
            "answer_ar": documents_ar,
            "answer_en": documents_en,
        },
        {
            "default_key": "complain",
            "question_ar": "كيف أقدّم شكوى أو ملاحظة أو استفسارًا؟",
            "question_en": "How do I make a complaint, a remark or an inquiry?",
            "answer_ar": "من صفحتي «الشكاوى» و«تواصل معنا» في هذه البوابة"
            f"{channels_ar}. نرد على الاستفسار خلال {arabic_days(*inquiry)}، "
            "ولا تؤثر الشكوى على طلبك.",
            "answer_en": "From the Complaints and Contact us pages of this portal"
            f"{channels_en}. We answer an inquiry within {english_days(*inquiry)}, "
            "and a complaint has no effect on your request.",
        },
        {
            "default_key": "privacy",
            "question_ar": "كيف تحمون بياناتي؟",
            "question_en": "How is my data protected?",
            "answer_ar": "يطّلع على بياناتك موظفو الجمعية المختصون فقط ويُسجَّل كل "
            "اطلاع، ويُحفظ رقم هويتك وجوالك مشفّرين، ولا نبيع بياناتك ولا نشاركها "
            "للتسويق. ولك أن تطّلع عليها وتطلب تصحيحها أو حذفها أو تسحب موافقتك. "
            "التفاصيل في إشعار الخصوصية.",
            "answer_en": "Only the association's staff who need it see your data, "
            "and every look is logged; your identity and mobile numbers are stored "
            "encrypted; we never sell or share your data for marketing. You may see "
            "it and ask for it to be corrected or deleted, or withdraw your consent. "
            "The privacy notice has the details.",
        },
    ]


def ensure_default_faq(organization: Organization) -> None:
    """Write the default answers for an association that has never had any.

    Entries are unpublished, never deleted, so an association that hid them all
    does not see them come back.
    """
    if FaqEntry.objects.filter(organization=organization).exists():
        return
    for position, entry in enumerate(default_entries(organization), start=1):
        key = entry.pop("default_key")
        FaqEntry.objects.get_or_create(
            organization=organization,
            default_key=key,
            defaults={"position": position * 10, **entry},
        )


@transaction.atomic
def save_faq_entry(
    *, actor, organization: Organization, data: dict, entry=None, request=None
) -> FaqEntry:
    """Add a question and answer, or change one; audited."""
    before = audit.snapshot(entry, list(FIELDS)) if entry else {}
    entry = entry or FaqEntry(organization=organization)
    for field in FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.save()
    audit.record(
        AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=entry,
        changes=audit.changed_fields(before, audit.snapshot(entry, list(FIELDS))),
        request=request,
    )
    return entry
