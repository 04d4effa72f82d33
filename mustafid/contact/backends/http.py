"""One HTTP request to a provider, with the standard library only.

Network failures become TransientError here; the status and body go back to the
backend, which knows how its provider says yes and no.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from mustafid.contact.backends import TransientError, trimmed


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def text(self) -> str:
        return trimmed(self.body.decode("utf-8", "replace"))


def request(
    url: str,
    *,
    method: str = "POST",
    data: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 10,
) -> Response:
    """The provider's answer, whatever its status; TransientError if none came."""
    if not url.startswith(("https://", "http://")):
        raise TransientError("provider URL is not http(s)")
    req = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=data, headers=headers or {}, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
            return Response(response.status, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, exc.read())
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TransientError("provider timed out") from exc
        # The reason, never the URL: a query string may carry the key.
        raise TransientError(trimmed(f"provider unreachable: {exc.reason}")) from exc
    except TimeoutError as exc:
        raise TransientError("provider timed out") from exc
    except OSError as exc:  # reset mid-answer, and the like
        raise TransientError(trimmed(f"provider connection failed: {exc}")) from exc


def get_path(document, path: str | None):
    """`a.b.0.c` into nested dicts and lists; None where it leads nowhere."""
    if not path:
        return None
    value = document
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value
