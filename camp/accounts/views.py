"""Login, logout, join with a code, and the account page (change password)."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts import admin_views, organiser_views, preferences, services, throttles
from camp.accounts.current import current_account, current_user
from camp.accounts.errors import AccountError, JoinRefused, UnknownJoinCode, WeakPassword
from camp.accounts.forms import ChangePasswordForm, JoinForm, LanguageForm, LoginForm
from camp.accounts.identity import CampUser
from camp.accounts.models import User, parse_session_token
from camp.accounts.session_user import ROW_USER_ENDPOINTS, load_row_user
from camp.extensions import db, login_manager
from camp.forms import ActionForm, rotate_csrf_token
from camp.i18n import current_locale, remember_locale
from camp.templating import ROLE_NAMES
from camp.transactions import short_writes, write_transaction
from camp.urls import safe_next, same_site_path

bp = Blueprint("accounts", __name__)
bp.register_blueprint(organiser_views.bp)  # accounts.organiser.*
bp.register_blueprint(admin_views.bp)  # accounts.admin.*

# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_ALLOWED = {
    "accounts.account",
    "accounts.set_language",
    "accounts.logout",
    "accounts.logout_everywhere",
    "static",
}


@bp.context_processor
def role_names() -> dict[str, object]:
    """What the pages of accounts, cohorts and users call each role (as the header does),
    in the page's language; nested blueprints (organiser, admin) get it too."""
    return {"role_names": ROLE_NAMES}


@login_manager.user_loader
def load_user(token: str) -> CampUser | None:
    """The session's user, or None (anonymous) when unknown, deactivated, or when the
    cookie is of an older session generation: a deactivated user, or a cookie copied
    before a logout or a password change, is logged out at the next request."""
    parsed = parse_session_token(token)
    if parsed is None:
        return None
    ident, generation = parsed
    if request.endpoint in ROW_USER_ENDPOINTS:
        user: CampUser | None = load_row_user(ident, request.endpoint)
    else:
        user = db.session.get(User, ident)
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


def _log_in(user: User) -> None:
    """Start a session, with a CSRF token of its own."""
    rotate_csrf_token()
    login_user(user)


@bp.before_app_request
def force_password_change() -> BaseResponse | None:
    if (
        request.endpoint not in _PASSWORD_CHANGE_ALLOWED  # first: static files load no user
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        flash(_("Choose a new password before you go on."), "info")
        return redirect(url_for("accounts.account"))
    return None


def home_for(user: CampUser) -> str:
    if user.is_admin:
        return url_for("accounts.admin.users")
    if user.is_organiser:
        return url_for("accounts.organiser.cohorts")
    return url_for("lessons.modules")


@bp.get("/")
def index() -> BaseResponse:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(home_for(current_user))


@bp.get("/home")
@login_required
def dashboard() -> str:
    return render_template("accounts/dashboard.html")


@bp.route("/login", methods=["GET", "POST"])
@throttles.login_limits
# Logging in writes nothing to the database: without this mark the POST would take
# SQLite's write lock at its first query and keep it through the password check (scrypt,
# tens of ms), so a room logging in at once queued and the last ones failed.
@short_writes
def login() -> BaseResponse | tuple[str, int] | str:
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            _log_in(user)
            return redirect(next_url or home_for(user))
        throttles.failed()
        form.password.errors = [_("That email and password do not match an active account.")]
        return render_template("accounts/login.html", form=form), 200
    if request.method == "POST":
        throttles.failed()
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> BaseResponse | str:
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        # Stateless cookies: a copy of this one (another tab's, or a stolen one) stays
        # valid unless the generation moves on, so logging out ends every session.
        if current_user.is_authenticated:
            services.end_sessions(current_account())
        logout_user()
        flash(_("You are logged out."), "success")
        return redirect(url_for("accounts.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template("accounts/logout.html", form=form)


@bp.route("/join", methods=["GET", "POST"])
@throttles.join_limits
def join() -> BaseResponse | str:
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.join_code.data = request.args["code"]
    if form.validate_on_submit():
        try:
            user = services.join_with_code(
                code=form.join_code.data or "",
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                password=form.password.data or "",
            )
        except UnknownJoinCode as exc:
            throttles.failed()
            form.join_code.errors = [str(exc)]
        except JoinRefused as exc:
            throttles.failed()  # a password guessed for an existing account
            form.password.errors = [str(exc)]
        except WeakPassword as exc:
            form.password.errors = [str(exc)]
        except AccountError as exc:
            form.display_name.errors = [str(exc)]
        else:
            _log_in(user)
            cohort = services.cohort_with_code(form.join_code.data or "")
            joined = cohort.name if cohort is not None else ""
            flash(
                _(
                    "Welcome, %(name)s! You have joined %(cohort)s.",
                    name=user.display_name,
                    cohort=joined,
                ),
                "success",
            )
            return redirect(home_for(user))
    return render_template("accounts/join.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
@throttles.password_check_limits
@short_writes  # a room changing its one-time passwords at once: hashing stays unlocked
def account() -> BaseResponse | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_account()
        try:
            new_hash = services.new_password_hash(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except WeakPassword as exc:
            form.new_password.errors = [str(exc)]
        except AccountError as exc:
            throttles.failed()
            form.current_password.errors = [str(exc)]
        else:
            with write_transaction():
                services.store_password_hash(user, new_hash)
            login_user(user)  # this browser stays in, with the new generation
            flash(
                _(
                    "Your password is changed. Any other browser where you were logged in is "
                    "logged out."
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
    language_form = LanguageForm(formdata=None, locale=current_locale())
    return render_template(
        "accounts/account.html",
        form=form,
        everywhere_form=ActionForm(),
        language_form=language_form,
    )


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere() -> BaseResponse:
    """End every session of this user, on every device, this one included."""
    if ActionForm().validate_on_submit():
        services.end_sessions(current_account())
        logout_user()
        flash(_("You are logged out on every device."), "success")
        return redirect(url_for("accounts.login"))
    return redirect(url_for("accounts.account"))


@bp.post("/language")
def set_language() -> BaseResponse:
    """The language switcher: remembered in a cookie, and in the user's row when someone
    is logged in (so another browser opens in it too). Back to the page it was used on."""
    back = safe_next(same_site_path(request.referrer, request.host)) or url_for("accounts.index")
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(back)
    locale = form.locale.data or ""
    if current_user.is_authenticated:
        with write_transaction():
            preferences.set_locale(current_account(), locale)
    return remember_locale(redirect(back), locale)
