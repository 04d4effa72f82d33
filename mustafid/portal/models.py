from mustafid.portal.codes import OneTimeCode  # noqa: F401
from mustafid.portal.consent import (  # noqa: F401
    ConsentAcceptance,
    ConsentText,
    NoticeShown,
)
from mustafid.portal.faq import FaqEntry  # noqa: F401
from mustafid.portal.rights_models import DataRequest  # noqa: F401
