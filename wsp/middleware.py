from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """The browser UI speaks Dutch unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many work laptops is English.
    API callers may still ask for English messages with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/") and not language:
            language = translation.get_language_from_request(request)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def client_ip_address(request) -> str | None:
    """The caller's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

    With `WSP_TRUSTED_PROXY_COUNT` = 0 (the default) the socket's address; behind N reverse proxies the address
    the outermost trusted proxy saw, the N-th entry from the right of X-Forwarded-For, which a caller cannot forge
    (whatever it sends is further left). With fewer entries than proxies the socket's address is used.
    """
    proxies = settings.WSP_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class ThirdPartyInlineStylesMiddleware:
    """Django's admin templates and the Swagger UI of the API docs carry inline style attributes; on those pages alone
    the Content-Security-Policy allows inline styles (still no inline script). Our own pages never need it. Sits
    inside csp.middleware.CSPMiddleware, which reads the update from the response."""

    PATHS = ("/admin/", "/api/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.PATHS):
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response
