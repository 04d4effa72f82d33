import random

import factory
from django.contrib.auth import get_user_model

from mustafid.core.saudi_ids import make_id
from mustafid.registry.models import Beneficiary, Gender, IdentityType

_rng = random.Random(1448)


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
    mobile = "+966501234567"
