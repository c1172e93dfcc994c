"""Sending an invitation by e-mail, when the server has MAIL_SERVER configured (smtplib; no
e-mail otherwise, and the admin passes the link on). Nothing about the person is logged."""

import logging
import smtplib
from email.message import EmailMessage

from flask_babel import force_locale
from flask_babel import gettext as _

log = logging.getLogger(__name__)


def mail_configured(config) -> bool:
    return bool(config.get("MAIL_SERVER"))


def invitation_message(config, to: str, name: str, language: str, link: str,
                       with_provider: bool) -> EmailMessage:
    with force_locale(language):
        message = EmailMessage()
        message["Subject"] = _("Your Adref account")
        message["From"] = config.get("MAIL_FROM") or "adref@localhost"
        message["To"] = to
        how = (_("You sign in with your organisation's account. Open this link to start:")
               if with_provider else
               _("Open this link to set your password. It works once, for 7 days:"))
        greeting = _("Hello %(name)s,", name=name)
        given = _("You have been given an account on Adref.")
        message.set_content(f"{greeting}\n\n{given} {how}\n\n{link}\n")
    return message


def send_invitation(config, message: EmailMessage) -> bool:
    """True when the mail server took the message; False (and the admin is told) otherwise."""
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                          timeout=10) as smtp:
            if config.get("MAIL_STARTTLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException) as failure:
        log.warning("An invitation e-mail was not sent: %s", type(failure).__name__)
        return False
