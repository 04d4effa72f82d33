"""The survey routes in the permission matrix (P-SATISFACTION, P-EVALCULTURE)."""

from mustafid.core.roles import Role
from tests.surveys.helpers import make_questionnaire, questions

ALL = frozenset(Role)
# Perm.MANAGE_SURVEYS; Perm.ENTER_PAPER_SURVEYS; Perm.VIEW_SURVEY_RESULTS.
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
PAPER = frozenset(
    {Role.RECEPTION, Role.RESEARCHER, Role.SERVICES, Role.MANAGER, Role.ADMIN}
)


def _questionnaire(org):
    return {"pk": make_questionnaire(org).pk}


def _question(org):
    questionnaire = make_questionnaire(org)
    return {"pk": questionnaire.pk, "question_pk": questions(questionnaire)["text"].pk}


def routes(Route) -> list:
    return [
        Route("surveys:questionnaire_list", PAPER),
        Route("surveys:questionnaire_create", MANAGERS),
        Route("surveys:questionnaire_edit", MANAGERS, kwargs=_questionnaire),
        # An empty form: allowed roles see it again with its errors.
        Route("surveys:question_add", MANAGERS, "post", _questionnaire),
        Route("surveys:question_edit", MANAGERS, kwargs=_question),
        Route("surveys:question_delete", MANAGERS, "post", _question, (302,)),
        Route("surveys:questionnaire_print", PAPER, kwargs=_questionnaire),
        Route("surveys:paper_entry", PAPER, kwargs=_questionnaire),
        Route("surveys:campaign_create", MANAGERS),
        Route("surveys:indicators", ALL),
        Route("surveys:indicators_export", ALL),
    ]
