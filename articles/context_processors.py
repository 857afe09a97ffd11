from django.conf import settings


def site(request):
    return {"site_name": settings.EDITORIAL_SITE_NAME}
