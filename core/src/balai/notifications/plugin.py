"""Notifications as a built-in plugin (slug ``notifications``)."""

from __future__ import annotations

from datetime import timedelta

from balai import __version__
from balai.auth.access import current_user
from balai.hookimpl import hookimpl
from balai.jobs.types import Job
from balai.notifications import routes, runtime
from balai.notifications.channels import channels_from_environment
from balai.notifications.delivery import delivery_job, phone_reports_job
from balai.notifications.tables import OutboxMessage
from balai.types import Dimension, NavItem, PluginInfo, Routes

DELIVERY_INTERVAL = timedelta(seconds=30)
REPORTS_INTERVAL = timedelta(minutes=1)


@hookimpl
def plugin_info() -> PluginInfo:
    """Notifications."""
    return PluginInfo(
        slug="notifications",
        title="Notifications",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Messages to citizens by email, file and messaging gateways.",
        path="notifikasi",
    )


@hookimpl
def piccolo_apps():
    """The outbox."""
    return ["balai.notifications.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """The citizen's notification list."""
    return Routes(pages=routes.PAGES)


@hookimpl
def notification_channels():
    """The file channel, and email / WhatsApp / SMS when the environment configures them."""
    return channels_from_environment()


@hookimpl
def scheduled_jobs():
    """Deliver the outbox every 30 seconds; ask for phone delivery reports every minute."""
    return [
        Job(
            name="notifications.deliver",
            run=delivery_job,
            every=DELIVERY_INTERVAL,
            description="Send pending notifications and retry failed ones with backoff.",
        ),
        Job(
            name="notifications.phone_reports",
            run=phone_reports_job,
            every=REPORTS_INTERVAL,
            description="Ask the SMS and WhatsApp providers whether sent texts were delivered.",
        ),
    ]


@hookimpl
async def nav_items(request):
    """A logged-in visitor's notifications."""
    if await current_user(request) is None:
        return []
    return [NavItem("Notifications", "/notifikasi/", 910, icon="bell")]


@hookimpl
async def user_deleted(city, user_id):
    """Messages to a deleted account are personal data: remove them."""
    await OutboxMessage.delete().where(OutboxMessage.user_id == user_id)


@hookimpl
def startup(app):
    """The application that starts serving is the one notifications work for."""
    runtime.activate(app.state.ui)
