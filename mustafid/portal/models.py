from mustafid.portal.codes import OneTimeCode  # noqa: F401
