from sendhub.navigation import navigation_for


def sendhub(request) -> dict:
    """The acting membership and the navigation its role allows, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
        "nav_items": navigation_for(request),
    }
