"""Schemathesis checks of scripts/api-fuzz (loaded through SCHEMATHESIS_HOOKS).

`unauthenticated_refused`: for the pass that sends no credentials. Every operation whose document `security` lists
only schemes (no empty requirement, which marks the auth.anonymous routes, nor an empty list, which marks the routes
that check what they are sent) must be answered 401 with `WWW-Authenticate: Bearer`, whatever the request.
"""
import schemathesis


@schemathesis.check
def unauthenticated_refused(ctx, response, case):
    security = case.operation.definition.raw.get("security")
    if not security or any(requirement == {} for requirement in security):
        return None
    if response.status_code != 401:
        raise AssertionError(
            f"{case.operation.label} needs credentials, but without any it answered {response.status_code}")
    challenge = response.headers.get("www-authenticate") or response.headers.get("WWW-Authenticate") or [""]
    challenge = challenge[0] if isinstance(challenge, list) else challenge
    if not challenge.lower().startswith("bearer"):
        raise AssertionError(f"{case.operation.label}: 401 without WWW-Authenticate: Bearer ({challenge!r})")
    return None
