from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink
from bus_portal.roles import COUNTY_ROLES, Role
from followup.models import contact_group_ids, steering_group_ids

# The menu (on every page) and the start page show whether the user is a survey contact person,
# which changes only when the secretariat adds or removes one: remember the user's groups instead
# of asking the database on every page. Saving or deleting a SurveyContact forgets them (in this
# process's cache, or everywhere with a shared cache); the timeout bounds how long another process
# may show a stale link. Only what is shown is cached: the survey pages and every access check
# call contact_group_ids() live.
CONTACT_GROUPS_SECONDS = 5 * 60


def _contact_key(user_id: int) -> str:
    return f"followup:contact-groups:{user_id}"


def shown_contact_group_ids(user) -> frozenset[int]:
    """``contact_group_ids(user)`` through the cache, for links and panels only."""
    key = _contact_key(user.pk)
    groups = cache.get(key)
    if groups is None:
        groups = contact_group_ids(user)
        cache.set(key, groups, timeout=CONTACT_GROUPS_SECONDS)
    return groups


def forget_contact_link(sender, instance, **kwargs):
    """Signal receiver (connected in FollowupConfig.ready) for SurveyContact changes."""
    cache.delete(_contact_key(instance.user_id))


def nav_links(user) -> list[NavLink]:
    links = []
    if user.has_role(Role.SECRETARIAT):
        links.append(NavLink(reverse("followup:survey_list"), _("Surveys")))
    if shown_contact_group_ids(user):
        links.append(NavLink(reverse("followup:my_surveys"), _("County survey")))
    if user.has_role(*COUNTY_ROLES):
        links.append(NavLink(reverse("followup:county_dashboard"), _("County follow-up")))
    if user.has_role(*COUNTY_ROLES) or steering_group_ids(user):
        links.append(NavLink(reverse("followup:indicator_list"), _("Local indicators")))
    return links
