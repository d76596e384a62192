"""Staff URLs of funds (namespace ``funds``): the finance area under /staff/finance/ and the
Budget tab of a case under /staff/cases/<case>/budget/."""

from django.urls import path

from passage.funds import views

app_name = "funds"

BUDGET = "cases/<uuid:case_id>/budget/"

urlpatterns = [
    path("finance/", views.index, name="index"),
    path("finance/funds/new/", views.fund_new, name="fund-new"),
    path("finance/accounts/", views.accounts, name="accounts"),
    path("finance/funds/<uuid:fund_id>/", views.fund, name="fund"),
    path("finance/funds/<uuid:fund_id>/deposit/", views.deposit, name="deposit"),
    path(BUDGET, views.budget, name="budget"),
    path(BUDGET + "add/", views.line_add, name="line-add"),
    path(BUDGET + "<uuid:line_id>/decide/", views.line_decide, name="line-decide"),
    path(BUDGET + "<uuid:line_id>/disburse/", views.disburse, name="disburse"),
    path(BUDGET + "<uuid:line_id>/close/", views.line_close, name="line-close"),
    path(BUDGET + "emergency/<uuid:approval_id>/pay/", views.emergency_pay, name="emergency-pay"),
    path(BUDGET + "<uuid:line_id>/stipend/", views.stipend_add, name="stipend-add"),
    path(BUDGET + "stipends/<uuid:stipend_id>/pay/", views.stipend_pay, name="stipend-pay"),
    path(BUDGET + "stipends/<uuid:stipend_id>/end/", views.stipend_end, name="stipend-end"),
]
