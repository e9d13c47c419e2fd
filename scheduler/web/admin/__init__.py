"""The admin's pages at /admin: the accounts (list, create, edit role, offices and linked lawyer, disable and
enable, reset a password with a temporary password or a one-time link). Admins land here after signing in.

  users   the views; the use cases are scheduler.people.accounts and scheduler.people.account_admin
"""

from scheduler.web.admin import users
from scheduler.web.admin.blueprint import bp

__all__ = ["bp", "users"]
