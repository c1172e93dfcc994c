"""JSON routes for the young person's own section of an interview."""

from app.api.resources import Resource
from app.youngperson import schemas, services
from app.youngperson.models import SelfReport

RESOURCES = [
    Resource(
        name="self_reports",
        model=SelfReport,
        schema=schemas.SelfReportSchema,
        query_schema=schemas.SelfReportQuery,
        visible=services.visible_self_reports,
        create=services.create_self_report,
        update=services.update_self_report,
        order_by=[SelfReport.handed_over_at],
        description="The young person's own section of an interview, in their own words.",
    ),
]
