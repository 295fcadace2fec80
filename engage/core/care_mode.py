"""Care mode (关怀版): the elder-friendly presentation a visitor may choose, remembered in a cookie.

The choice changes only a stylesheet (``/care.css``), never a page's HTML: a public page stays the same for every
visitor, so the proxy in front may cache it, and the mode works without JavaScript.
"""

CARE_COOKIE = "care"
#: a year: elderly visitors should not have to find the switch again
CARE_COOKIE_SECONDS = 365 * 24 * 3600


def is_chosen(cookies) -> bool:
    return cookies.get(CARE_COOKIE) == "on"
