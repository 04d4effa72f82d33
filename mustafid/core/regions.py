"""The thirteen administrative regions of Saudi Arabia."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    RIYADH = "riyadh", _("Riyadh")
    MAKKAH = "makkah", _("Makkah")
    MADINAH = "madinah", _("Madinah")
    QASSIM = "qassim", _("Qassim")
    EASTERN = "eastern", _("Eastern Province")
    ASIR = "asir", _("Asir")
    TABUK = "tabuk", _("Tabuk")
    HAIL = "hail", _("Hail")
    NORTHERN_BORDERS = "northern_borders", _("Northern Borders")
    JAZAN = "jazan", _("Jazan")
    NAJRAN = "najran", _("Najran")
    AL_BAHAH = "al_bahah", _("Al-Bahah")
    AL_JAWF = "al_jawf", _("Al-Jawf")
