"""Response headers every page needs."""

from django.utils.cache import patch_cache_control


def no_store_when_signed_in(get_response):
    """A signed-in page may hold personal data: no browser or proxy keeps a copy
    (the back button after signing out shows nothing)."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
