import random

import factory
from django.contrib.auth import get_user_model

from mustafid.core.saudi_ids import make_id
from mustafid.registry.models import (
    Beneficiary,
    Document,
    DocumentType,
    Gender,
    IdentityType,
    ResidencyStatus,
)

_rng = random.Random(1448)

# The smallest valid PNG: one transparent pixel.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfab"
    "d40000000049454e44ae426082"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "سارة"
    last_name = "العتيبي"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-1448")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    first_name = "محمد"
    father_name = "عبدالله"
    grandfather_name = "سعد"
    family_name = factory.Iterator(["القحطاني", "الغامدي", "الشمري", "الدوسري"])
    identity_type = IdentityType.NATIONAL_ID
    identity_number = factory.LazyFunction(lambda: make_id("1", _rng))
    gender = Gender.MALE
    nationality = "SA"
    residency_status = ResidencyStatus.CITIZEN
    mobile = factory.Sequence(lambda n: f"+96650{n % 10_000_000:07d}")


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("organization", "code")

    code = "national_id"
    name_ar = "صورة الهوية"
    expires = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    beneficiary = factory.SubFactory(
        BeneficiaryFactory, organization=factory.SelfAttribute("..organization")
    )
    document_type = factory.SubFactory(
        DocumentTypeFactory, organization=factory.SelfAttribute("..organization")
    )
    file = factory.django.FileField(filename="scan.png", data=TINY_PNG)
    content_type = "image/png"
    size = len(TINY_PNG)
