"""The content model. Page types are grouped by what they are."""
from portal.models.departments import Department, User  # noqa: F401
from portal.models.enforcement import (  # noqa: F401
    BulletinPage,
    ComplaintHandlingPage,
    InspectionRecordPage,
    LicenceDecisionPage,
    OtherSharedInfoPage,
    PenaltyDecisionPage,
    StatisticsPage,
)
from portal.models.holidays import HolidayArrangement, HolidayArrangementDay  # noqa: F401
from portal.models.metadata import Category, Scope, SharedInfoPage, Validity  # noqa: F401
from portal.models.publicity import InterpretationPage, NewsPage  # noqa: F401
from portal.models.regulations import DiscretionStandardPage, RegulationPage, WorkflowPage  # noqa: F401
from portal.models.sharing import DepartmentSubscription, Notification, ViewLog  # noqa: F401
from portal.models.site import CategoryIndexPage, HomePage  # noqa: F401
from portal.models.staff import DashboardVisit  # noqa: F401
from portal.models.workflow import DepartmentApprovalTask  # noqa: F401
