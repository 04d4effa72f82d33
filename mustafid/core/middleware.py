from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ArabicFirstLocaleMiddleware:
    """Arabic unless the person chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not
    consulted: staff and beneficiaries get Arabic first, English on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
