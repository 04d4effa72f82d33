from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "mustafid.surveys"
    verbose_name = "Surveys"

    def ready(self):
        # P-SATISFACTION: a request reaching delivery or closure invites its
        # beneficiary; cases only announce the move (cases.hooks).
        from mustafid.cases.hooks import case_moved
        from mustafid.surveys import triggers

        case_moved.connect(triggers.on_case_moved, dispatch_uid="surveys.case_moved")
