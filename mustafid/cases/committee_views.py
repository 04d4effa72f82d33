"""The research committee's pages (P-COMMITTEE): thin views over cases.committee."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import modelformset_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mustafid.cases import committee, committee_decisions
from mustafid.cases.committee_defaults import ensure_reason_list
from mustafid.cases.committee_forms import (
    AddCaseForm,
    AttendanceForm,
    BuildAgendaForm,
    MeetingForm,
    MemberChangeForm,
    MemberForm,
    QuorumForm,
    ReasonsForm,
    SetAsideForm,
    VoteForm,
)
from mustafid.cases.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    CommitteeRule,
    DecisionReason,
    ItemOutcome,
)
from mustafid.core.audit import record_for_request
from mustafid.core.models import AuditAction
from mustafid.core.permissions import staff_view
from mustafid.core.roles import Perm
from mustafid.core.tenancy import get_for_org
from mustafid.eligibility.case_views import eligibility_context
from mustafid.registry.settings_views import CodeUniqueFormSet, save_list

PAGE_SIZE = 50


def _meeting(request, pk) -> CommitteeMeeting:
    return get_for_org(request, CommitteeMeeting.objects.select_related("chair"), pk=pk)


def _item(request, pk) -> AgendaItem:
    return get_for_org(
        request,
        AgendaItem.objects.select_related(
            "meeting", "case__beneficiary", "case__service"
        ),
        pk=pk,
    )


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _done(request, action, *, success, to: str, **kwargs):
    """Run a service call; its refusal becomes the page's error message.

    `success`: the message, or a function of what the call returned.
    """
    try:
        result = action()
    except committee.CommitteeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(to, **kwargs)


# ---------------------------------------------------------------------------
# Members, quorum, reasons


@require_GET
@staff_view(Perm.VIEW_COMMITTEE)
def meeting_list(request):
    meetings = CommitteeMeeting.objects.annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__outcome=ItemOutcome.PENDING)),
    ).order_by("-date", "-number")  # an aggregate drops the model's ordering
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "cases/committee_meetings.html",
        {
            "page": page,
            "members": CommitteeMember.objects.filter(is_active=True).select_related(
                "membership__user"
            ),
            "quorum": committee.current_quorum(request.organization),
            "ready": committee.ready_for_committee().count(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_COMMITTEE)
def member_list(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _done(
            request,
            lambda: committee.add_member(
                actor=request.user,
                request=request,
                organization=request.organization,
                membership=form.cleaned_data["membership"],
                is_chair=form.cleaned_data["is_chair"],
            ),
            success=_("The member was added to the committee."),
            to="cases:committee_members",
        )
    rule = CommitteeRule.objects.filter(organization=request.organization).first()
    return TemplateResponse(
        request,
        "cases/committee_members.html",
        {
            "form": form,
            "members": CommitteeMember.objects.select_related("membership__user"),
            "quorum_form": QuorumForm(
                initial={"quorum_minimum": rule.quorum_minimum if rule else None}
            ),
            "quorum": committee.current_quorum(request.organization),
        },
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def member_change(request, pk: int):
    member = get_for_org(request, CommitteeMember, pk=pk)
    form = MemberChangeForm(request.POST)
    form.is_valid()  # two checkboxes: always valid
    return _done(
        request,
        lambda: committee.change_member(
            actor=request.user, request=request, member=member, **form.cleaned_data
        ),
        success=_("The committee member was updated."),
        to="cases:committee_members",
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def quorum_edit(request):
    form = QuorumForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_members")
    committee.set_quorum(
        actor=request.user,
        request=request,
        organization=request.organization,
        quorum_minimum=form.cleaned_data["quorum_minimum"],
    )
    messages.success(request, _("The quorum was saved."))
    return redirect("cases:committee_members")


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_COMMITTEE)
def reason_list(request):
    ensure_reason_list(request.organization)
    FormSet = modelformset_factory(
        DecisionReason,
        fields=["code", "kind", "name_ar", "name_en", "position", "is_active"],
        extra=2,
        formset=CodeUniqueFormSet,
    )
    formset = FormSet(request.POST or None, queryset=DecisionReason.objects.all())
    if request.method == "POST" and formset.is_valid():
        saved = save_list(
            actor=request.user,
            organization=request.organization,
            formset=formset,
            request=request,
        )
        messages.success(request, _("%(count)s rows saved.") % {"count": saved})
        return redirect("cases:committee_reasons")
    return TemplateResponse(
        request, "cases/committee_reasons.html", {"formset": formset}
    )


# ---------------------------------------------------------------------------
# Meetings and their agenda


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_COMMITTEE)
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = committee.plan_meeting(
            actor=request.user,
            request=request,
            organization=request.organization,
            **form.cleaned_data,
        )
        messages.success(
            request,
            _("Meeting %(number)s is planned; build its agenda.")
            % {"number": meeting.number},
        )
        return redirect("cases:committee_meeting", pk=meeting.pk)
    return TemplateResponse(
        request, "cases/committee_meeting_form.html", {"form": form}
    )


def _agenda_page(request, meeting):
    """One page of the agenda, with each row's tally and the reader's own vote."""
    items = meeting.items.for_agenda()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    seat = committee.member_of(request.membership)
    for item in page:
        item.my_vote = next(
            (v for v in item.votes.all() if seat and v.member_id == seat.pk), None
        )
    return page, seat


@require_GET
@staff_view(Perm.VIEW_COMMITTEE)
def meeting_detail(request, pk: int):
    """The agenda and the meeting's state; htmx polls the progress partial while
    the decisions are applied."""
    meeting = _meeting(request, pk)
    if request.htmx:
        return TemplateResponse(
            request, "cases/committee_meeting.html#progress", {"meeting": meeting}
        )
    page, seat = _agenda_page(request, meeting)
    attendees = list(meeting.attendees.select_related("membership__user"))
    can_manage = request.membership.has_perm(Perm.MANAGE_COMMITTEE)
    return TemplateResponse(
        request,
        "cases/committee_meeting.html",
        {
            "meeting": meeting,
            "page": page,
            "attendees": attendees,
            "voting": meeting.is_held
            and seat is not None
            and seat.pk in {m.pk for m in attendees},
            "can_manage": can_manage,
            "ready": committee.ready_for_committee().count()
            if meeting.is_planned and can_manage
            else 0,
            "build_form": BuildAgendaForm(),
            "add_form": AddCaseForm(),
            "vote_form": VoteForm(meeting=meeting),
        },
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def agenda_build(request, pk: int):
    meeting = _meeting(request, pk)
    form = BuildAgendaForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_meeting", pk=meeting.pk)
    return _done(
        request,
        lambda: committee.build_agenda(
            actor=request.user, request=request, meeting=meeting, **form.cleaned_data
        ),
        success=lambda added: (
            _("%(count)s requests were added to the agenda.") % {"count": added}
        ),
        to="cases:committee_meeting",
        pk=meeting.pk,
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def agenda_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = AddCaseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_meeting", pk=meeting.pk)
    return _done(
        request,
        lambda: committee.add_to_agenda(
            actor=request.user, request=request, meeting=meeting, case=form.case
        ),
        success=_("The request was added to the agenda."),
        to="cases:committee_meeting",
        pk=meeting.pk,
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def item_remove(request, pk: int):
    item = _item(request, pk)
    return _done(
        request,
        lambda: committee.remove_from_agenda(
            actor=request.user, request=request, item=item
        ),
        success=_("The request was taken off the agenda."),
        to="cases:committee_meeting",
        pk=item.meeting_id,
    )


@require_http_methods(["GET", "POST"])
@staff_view(Perm.MANAGE_COMMITTEE)
def meeting_attendance(request, pk: int):
    meeting = _meeting(request, pk)
    form = AttendanceForm(
        request.POST or None,
        initial={"attendees": list(meeting.attendees.all())},
    )
    if request.method == "POST" and form.is_valid():
        return _done(
            request,
            lambda: committee.hold_meeting(
                actor=request.user,
                request=request,
                meeting=meeting,
                attendees=list(form.cleaned_data["attendees"]),
            ),
            success=_("The attendance was recorded."),
            to="cases:committee_meeting",
            pk=meeting.pk,
        )
    return TemplateResponse(
        request,
        "cases/committee_attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "quorum": meeting.quorum or committee.current_quorum(request.organization),
        },
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def meeting_decide(request, pk: int):
    """Apply the decisions in the background; the page follows the progress."""
    meeting = _meeting(request, pk)
    return _done(
        request,
        lambda: committee_decisions.start_decisions(
            actor=request.user, request=request, meeting=meeting
        ),
        success=_("The decisions are being applied in the background: you may leave."),
        to="cases:committee_meeting",
        pk=meeting.pk,
    )


# ---------------------------------------------------------------------------
# One item: votes and reasons


@require_GET
@staff_view(Perm.VIEW_COMMITTEE)
def item_detail(request, pk: int):
    item = _item(request, pk)
    # P-PRIVACY: the page shows the beneficiary's request.
    record_for_request(request, AuditAction.VIEW, obj=item.case)
    meeting = item.meeting
    seat = committee.member_of(request.membership)
    votes = list(item.votes.select_related("member__membership__user", "recorded_by"))
    ensure_reason_list(request.organization)
    return TemplateResponse(
        request,
        "cases/committee_item.html",
        {
            "item": item,
            "meeting": meeting,
            "votes": votes,
            "my_vote": next(
                (v for v in votes if seat and v.member_id == seat.pk), None
            ),
            "vote_form": VoteForm(meeting=meeting),
            # Three forms have a note: each gets its own ids for its labels.
            "reasons_form": ReasonsForm(
                initial={
                    "reasons": list(item.reasons.all()),
                    "note": item.reason_note,
                },
                auto_id="id_reasons_%s",
            ),
            "set_aside_form": SetAsideForm(auto_id="id_aside_%s"),
        }
        # P-ELIGIBILITY: the committee sees the evaluation kept on the request.
        | eligibility_context(request, item.case),
    )


def _to_item(item):
    return {"to": "cases:committee_item", "pk": item.pk}


@require_POST
@staff_view(Perm.VOTE)
def item_vote(request, pk: int):
    item = _item(request, pk)
    back = _back(request, item)
    form = VoteForm(request.POST, meeting=item.meeting)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back["to"], pk=back["pk"])
    return _done(
        request,
        lambda: committee.record_vote(
            actor=request.user,
            request=request,
            membership=request.membership,
            item=item,
            **form.cleaned_data,
        ),
        success=_("Your vote was recorded."),
        **back,
    )


def _back(request, item):
    # The agenda's quick buttons return to the agenda page they were on.
    if request.POST.get("back") == "meeting":
        return {"to": "cases:committee_meeting", "pk": item.meeting_id}
    return _to_item(item)


@require_POST
@staff_view(Perm.VOTE)
def vote_remaining(request, pk: int):
    meeting = _meeting(request, pk)
    form = VoteForm(request.POST, meeting=meeting)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_meeting", pk=meeting.pk)
    return _done(
        request,
        lambda: committee.vote_remaining(
            actor=request.user,
            request=request,
            membership=request.membership,
            meeting=meeting,
            **form.cleaned_data,
        ),
        success=lambda count: _("%(count)s votes were recorded.") % {"count": count},
        to="cases:committee_meeting",
        pk=meeting.pk,
    )


@require_POST
@staff_view(Perm.VOTE)
def item_reasons(request, pk: int):
    item = _item(request, pk)
    form = ReasonsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_item", pk=item.pk)
    return _done(
        request,
        lambda: committee.set_reasons(
            actor=request.user,
            request=request,
            membership=request.membership,
            item=item,
            reasons=list(form.cleaned_data["reasons"]),
            note=form.cleaned_data["note"],
        ),
        success=_("The reasons were saved."),
        **_to_item(item),
    )


@require_POST
@staff_view(Perm.MANAGE_COMMITTEE)
def item_set_aside(request, pk: int):
    item = _item(request, pk)
    form = SetAsideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:committee_item", pk=item.pk)
    return _done(
        request,
        lambda: committee.set_aside(
            actor=request.user,
            request=request,
            item=item,
            note=form.cleaned_data["note"],
        ),
        success=_("The request was set aside for a later meeting."),
        **_to_item(item),
    )


# ---------------------------------------------------------------------------
# Minutes


@require_GET
@staff_view(Perm.VIEW_COMMITTEE)
def meeting_minutes(request, pk: int):
    """The printable minutes, in Arabic (the association's official language)."""
    meeting = _meeting(request, pk)
    record_for_request(
        request, AuditAction.VIEW, obj=meeting, changes={"page": "minutes"}
    )
    return TemplateResponse(
        request,
        "cases/committee_minutes.html",
        {
            "meeting": meeting,
            "attendees": list(meeting.attendees.select_related("membership__user")),
            "items": meeting.items.for_agenda(),
        },
    )
