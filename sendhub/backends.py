from allauth.account.auth_backends import AuthenticationBackend


class SignInBackend(AuthenticationBackend):
    """allauth's e-mail sign-in, without Django's table-based permissions.

    SendHub grants access by role and relationship (rules in each app's rules.py);
    superusers pass every check in User.has_perm. Returning no table permissions saves
    two queries on every page that asks ``has_perm``.
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
