"""E-mail adapters."""

from connect.adapters.mail.smtp import SmtpMailer

__all__ = ["SmtpMailer"]
