"""Organiser screens for cohorts: list, create, members, join codes and pasted rosters."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts import services
from camp.accounts.current import current_user
from camp.accounts.errors import AccountError
from camp.accounts.forms import CohortForm, RosterForm
from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.accounts.permissions import (
    can_reset_password,
    managed_cohort_or_403,
    organiser_required,
    resettable_members,
)
from camp.audit import services as audit
from camp.extensions import db
from camp.forms import ActionForm
from camp.transactions import short_writes, write_transaction

bp = Blueprint("organiser", __name__, url_prefix="/organiser")


@bp.get("/")
@organiser_required
def home() -> BaseResponse:
    return redirect(url_for("accounts.organiser.cohorts"))


@bp.route("/cohorts", methods=["GET", "POST"])
@organiser_required
def cohorts() -> BaseResponse | str:
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(form.name.data or "", organiser=current_user)
        except AccountError as exc:
            form.name.errors = [str(exc)]
        else:
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return redirect(url_for("accounts.organiser.cohort", cohort_id=cohort.id))
    student_count = (
        select(func.count(Membership.id))
        .where(Membership.cohort_id == Cohort.id, Membership.role == MemberRole.STUDENT)
        .correlate(Cohort)
        .scalar_subquery()
    )
    query = select(Cohort, student_count.label("students")).order_by(Cohort.name)
    if not current_user.is_admin:
        query = query.where(
            Cohort.id.in_(
                select(Membership.cohort_id).where(
                    Membership.user_id == current_user.id,
                    Membership.role == MemberRole.ORGANISER,
                )
            )
        )
    rows = db.session.execute(query).all()
    return render_template("organiser/cohorts.html", rows=rows, form=form)


def _render_cohort(cohort: Cohort, roster_form: RosterForm, refusal: str | None = None) -> str:
    members = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id)
        .order_by(Membership.role.desc(), User.display_name)
    ).all()
    return render_template(
        "organiser/cohort.html",
        cohort=cohort,
        members=members,
        join_code=services.format_join_code(cohort.join_code),
        roster_form=roster_form,
        action_form=ActionForm(),
        resettable=resettable_members(current_user, cohort.id),
        refusal=refusal,
    )


@bp.get("/cohorts/<int:cohort_id>")
@organiser_required
def cohort(cohort_id: int) -> str:
    return _render_cohort(managed_cohort_or_403(cohort_id), RosterForm())


@bp.post("/cohorts/<int:cohort_id>/join-code")
@organiser_required
def regenerate_code(cohort_id: int) -> BaseResponse:
    cohort = managed_cohort_or_403(cohort_id)
    if ActionForm().validate_on_submit():
        code = services.regenerate_join_code(cohort)
        flash(
            _(
                "New join code: %(code)s. The old one no longer works.",
                code=services.format_join_code(code),
            ),
            "success",
        )
    return redirect(url_for("accounts.organiser.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/reset-password")
@organiser_required
def reset_password(cohort_id: int, user_id: int) -> BaseResponse | str | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    user = db.get_or_404(User, user_id)
    if services.find_membership(cohort, user) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not can_reset_password(current_user, user):
        refusal = _(
            "You cannot reset the password of %(name)s: they are also in a cohort you do "
            "not run, or their account is not a student's, so an admin must reset it.",
            name=user.display_name,
        )
        return _render_cohort(cohort, RosterForm(), refusal), 403
    password = services.reset_password(user, by=current_user, cohort_id=cohort.id)
    # Shown on this response only; the student must change it at next login.
    return render_template(
        "organiser/password_reset.html", cohort=cohort, user=user, password=password
    )


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@organiser_required
def remove_member(cohort_id: int, user_id: int) -> BaseResponse:
    cohort = managed_cohort_or_403(cohort_id)
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        membership = services.find_membership(cohort, user)
        if user.id == current_user.id:
            flash(_("You cannot remove yourself from a cohort you run."), "error")
        elif (
            membership is not None
            and membership.role == MemberRole.ORGANISER
            and not current_user.is_admin
        ):
            flash(
                _("Only an admin can remove an organiser (%(name)s).", name=user.display_name),
                "error",
            )
        elif services.remove_member(cohort, user):
            audit.record(
                current_user,
                "membership.remove",
                f"Removed {user.email} from {cohort.name}",
                cohort_id=cohort.id,
                user_id=user.id,
            )
            flash(
                _(
                    "%(name)s is no longer in %(cohort)s. Their work is kept.",
                    name=user.display_name,
                    cohort=cohort.name,
                ),
                "success",
            )
        else:
            flash(
                _("%(name)s was not in %(cohort)s.", name=user.display_name, cohort=cohort.name),
                "info",
            )
    return redirect(url_for("accounts.organiser.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/students")
@organiser_required
@short_writes  # hashing a roster's passwords (scrypt each) must not hold the write lock
def add_students(cohort_id: int) -> BaseResponse | str | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    form = RosterForm()
    if form.validate_on_submit():
        try:
            entries = services.parse_roster(form.roster.data or "")
            credentials = services.one_time_credentials(len(services.new_emails(entries)))
            with write_transaction():
                result = services.add_roster(cohort, entries, credentials)
                added = [u for u, _password in result.created] + result.added_existing
                if added:
                    audit.record(
                        current_user,
                        "membership.add",
                        f"Added {len(added)} student(s) to {cohort.name}",
                        cohort_id=cohort.id,
                        emails=[u.email for u in added],
                    )
        except AccountError as exc:  # write_transaction() has undone its part
            form.roster.errors = str(exc).splitlines()
        else:
            # The one-time passwords are shown on this response only, never stored in clear.
            return render_template("organiser/roster_added.html", cohort=cohort, result=result)
    return _render_cohort(cohort, form), 400
