"""The demo of 区编办 and 区政府法制办's door loads through the state functions, in 周村区, and loads once."""
from coordination.demo import load_coordination_demo
from coordination.models import AccountabilityCase, Dispute
from demo.cooperation import load_cooperation_demo
from demo.loader import LoadReport, load_departments
from portal import roles


def test_demo_shows_a_joint_determination_a_report_to_the_government_and_a_case_once_二一(db):
    departments = load_departments(LoadReport(), roles.ensure_roles())
    load_cooperation_demo(LoadReport(), departments)
    report = LoadReport()
    load_coordination_demo(report, departments)
    assert report.created == {"争议协调": 2, "责任追究": 1}
    duties = Dispute.objects.get(kind=Dispute.Kind.DUTIES)
    assert (duties.status, duties.competent_department.code) == (Dispute.Status.DETERMINED, "HBFJ")
    assert {o.coordinator.code for o in duties.opinions.all()} == {"BB", "FZB"}
    case_dispute = Dispute.objects.get(kind=Dispute.Kind.JURISDICTION)
    assert case_dispute.status == Dispute.Status.REPORTED and case_dispute.opinions.count() == 4
    case = AccountabilityCase.objects.get()
    assert case.transfer.title == "某餐饮店无证经营" and case.department.code == "ZHZF"
    again = LoadReport()
    load_coordination_demo(again, departments)
    assert again.total == 0 and Dispute.objects.count() == 2 and AccountabilityCase.objects.count() == 1
