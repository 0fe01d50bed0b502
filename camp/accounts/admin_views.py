"""Admin screens: every user, creating organisers, deactivating and reactivating accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts import services
from camp.accounts.current import current_user
from camp.accounts.errors import AccountError, DuplicateEmail
from camp.accounts.forms import CreateUserForm
from camp.accounts.models import User
from camp.accounts.passwords import one_time_password
from camp.accounts.permissions import admin_required, can_reset_password
from camp.audit import services as audit
from camp.extensions import db
from camp.forms import ActionForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@admin_required
def home() -> BaseResponse:
    return redirect(url_for("accounts.admin.users"))


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> BaseResponse | str:
    form = CreateUserForm()
    if form.validate_on_submit():
        password = one_time_password()
        try:
            user = services.create_user(
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                password=password,
                role=form.role.data or "organiser",
                must_change_password=True,
            )
        except DuplicateEmail as exc:
            form.email.errors = [str(exc)]
        except AccountError as exc:
            form.display_name.errors = [str(exc)]
        else:
            audit.record(
                current_user,
                "role.grant",
                f"Created {user.email} as {user.role}",
                user_id=user.id,
                role=user.role,
            )
            return render_template("admin/user_created.html", user=user, password=password)
    rows = db.session.scalars(select(User).order_by(User.role, User.display_name)).all()
    return render_template("admin/users.html", users=rows, form=form, action_form=ActionForm())


@bp.get("/audit")
@admin_required
def audit_log() -> str:
    return render_template("admin/audit.html", events=audit.recent())


@bp.post("/users/<int:user_id>/active")
@admin_required
def toggle_active(user_id: int) -> BaseResponse:
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "error")
        else:
            services.set_active(user, not user.active)
            state = "Reactivated" if user.active else "Deactivated"
            audit.record(
                current_user,
                "account.reactivate" if user.active else "account.deactivate",
                f"{state} {user.email}",
                user_id=user.id,
            )
            if user.active:
                message = _("%(name)s is reactivated.", name=user.display_name)
            else:
                message = _("%(name)s is deactivated; their data is kept.", name=user.display_name)
            flash(message, "success")
    return redirect(url_for("accounts.admin.users"))


@bp.post("/users/<int:user_id>/reset-password")
@admin_required
def reset_password(user_id: int) -> BaseResponse | str:
    """Any account's one-time password, organisers' and admins' included (not one's own:
    that is changed on /account)."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not can_reset_password(current_user, user):
        flash(_("Change your own password on your account page."), "error")
        return redirect(url_for("accounts.admin.users"))
    password = services.reset_password(user, by=current_user)
    return render_template("admin/password_reset.html", user=user, password=password)
