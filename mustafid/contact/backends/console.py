"""Prints messages instead of sending them: `make demo` and development."""

import logging
import sys

from mustafid.contact.backends import Backend, Outgoing, Sent

logger = logging.getLogger("mustafid.contact")


class ConsoleBackend(Backend):
    method = "console"

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, outgoing: Outgoing) -> Sent:
        stream = self.stream or sys.stdout
        lines = [
            f"--- {outgoing.method} message {outgoing.message_id} "
            f"({outgoing.event}, {outgoing.language}) ---",
            f"To: {outgoing.to or outgoing.recipient_name}",
        ]
        if outgoing.subject:
            lines.append(f"Subject: {outgoing.subject}")
        lines += ["", outgoing.body, "-" * 40, ""]
        stream.write("\n".join(lines))
        stream.flush()
        logger.info(
            "console: %s message %s printed", outgoing.method, outgoing.message_id
        )
        return Sent(provider_id=f"console-{outgoing.message_id}", detail="printed")
