from django.shortcuts import render

from mustafid.portal.session import public_page


@public_page
def home(request):
    return render(request, "portal/home.html", {"organization": request.portal_org})
