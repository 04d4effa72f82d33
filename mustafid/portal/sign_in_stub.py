"""Placeholder for the portal's sign-in page, which another part of issue 7
builds (portal/views.py). Lead: at merge keep theirs and delete this file and
its line in urls.py."""

from django.http import HttpResponse

from mustafid.portal.session import public_page


@public_page
def sign_in(request):
    return HttpResponse("sign in")
