"""Organiser screens for the question bank: browse and filter, write and edit questions of every
type, preview a question as a student sees it and with its answer key, compare versions, retire
and restore, import and export GIFT and Moodle XML. Organisers and admins share one bank.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from camp.accounts.current import current_user
from camp.accounts.permissions import organiser_required
from camp.authoring import bank_queries as queries
from camp.authoring.bank_forms import (
    FORMS,
    BrowseForm,
    CompareForm,
    ConfirmImportForm,
    ImportForm,
    QuestionForm,
    form_data,
    question_form,
)
from camp.authoring.bank_transfer import (
    Upload,
    UploadRefused,
    action_counts,
    export_filename,
    import_summary,
    read_signed_upload,
    sign_upload,
)
from camp.bank import services
from camp.bank.gift_io import export_gift
from camp.bank.importing import BankImportError, apply_import, plan_import
from camp.bank.models import Question
from camp.bank.moodle_io import MOODLE_XML, export_moodle_xml, read_bank_file, skipped_message
from camp.bank.presentation import (
    diff_lines,
    key_view,
    rendered,
    student_question_view,
    version_lines,
)
from camp.bank.question_files import facts_of, file_url
from camp.bank.question_types import REGISTRY
from camp.bank.services import BankError, QuestionDraft
from camp.formats.gift import GiftWriteError
from camp.formats.moodle_xml_question import MoodleWriteError
from camp.forms import ActionForm
from camp.transactions import atomic

bp = Blueprint("bank", __name__, url_prefix="/organiser/bank")
Rendered = tuple[str, int]


def _question_or_404(uid: str) -> Question:
    question = queries.question_by_uid(uid)
    if question is None:
        abort(404)
    return question


@bp.get("")
@organiser_required
def browse() -> str:
    form = BrowseForm(request.args)
    paths = queries.category_paths()
    form.tag.choices = [SelectChoice("", _l("Any tag")), *map(SelectChoice, queries.all_tags())]
    form.category.choices = [SelectChoice("", _l("All categories")), *map(SelectChoice, paths)]
    filters = queries.BankFilters(
        q=(form.q.data or "").strip()[:200],
        tag=form.tag.data or "",
        category=form.category.data or "",
        include_retired=bool(form.retired.data),
    )
    result = queries.browse(filters, request.args.get("page", 1, type=int) or 1)
    page_args = {k: v for k in ("q", "tag", "category", "retired") if (v := request.args.get(k))}
    about = queries.category_about(filters.category) if filters.category else None
    return render_template(
        "authoring/bank_browse.html",
        form=form,
        filters=filters,
        result=result,
        tree=queries.category_tree(paths),
        page_args=page_args,
        about=about,
        about_html=rendered(about.info, about.info_format) if about else "",
    )


def _render_form(
    form: QuestionForm, problems: list[str], question: Question | None = None
) -> Rendered:
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "authoring/bank_form.html",
        form=form,
        problems=problems,
        question=question,
        type_label=REGISTRY[form.type_name].label,
    )
    return page, status


def _draft_problems(
    form: QuestionForm, extras: dict[str, Any] | None = None
) -> tuple[QuestionDraft | None, list[str]]:
    """The draft of a valid posted form (keeping `extras`, which the form does not show), or
    the problems to show beside it."""
    if not form.validate_on_submit():
        return None, []
    draft = form.draft(extras)
    return draft, draft.problems()


@bp.route("/new", methods=["GET", "POST"])
@organiser_required
def new() -> BaseResponse | str | Rendered:
    type_name = request.args.get("type", "")
    if not type_name:
        return render_template("authoring/bank_new.html", types=list(REGISTRY.values()))
    if type_name not in FORMS:
        abort(404)
    data = None
    if request.method == "GET":
        data = {"category": request.args.get("category") or services.DEFAULT_CATEGORY}
    form = question_form(type_name, creating=True, data=data)
    draft, problems = _draft_problems(form)
    if draft is not None and not problems:
        try:
            with atomic():
                category = services.ensure_category(form.category.data or "")
                question = services.create_question(
                    draft, category=category, uid=form.uid.data or None, author=current_user
                )
        except BankError as error:
            problems = [str(error)]
        else:
            flash(_("Question %(uid)s created.", uid=question.uid), "success")
            return redirect(url_for("authoring.bank.question", uid=question.uid))
    return _render_form(form, problems)


def _save_edit(question: Question, draft: QuestionDraft, category_path: str) -> tuple[str, str]:
    """Save the edit and say what happened (the message and its flash category)."""
    old_tags, old_category = question.tag_names, question.category_id
    version = services.revise_question(question, draft, author=current_user)
    category = services.ensure_category(category_path)
    if category.id != old_category:
        services.move_question(question, category)
    if version is not None:
        return _("Saved as version %(number)s.", number=version.number), "success"
    if question.tag_names != old_tags or category.id != old_category:
        message = _("Tags and category saved. The question itself is unchanged: no new version.")
        return message, "info"
    return _("No changes: no new version."), "info"


@bp.route("/<uid>/edit", methods=["GET", "POST"])
@organiser_required
def edit(uid: str) -> BaseResponse | Rendered:
    question = _question_or_404(uid)
    version = services.current_version(question)
    data = None
    if request.method == "GET":
        data = form_data(version, category=question.category.path, tags=question.tag_names)
    form = question_form(version.type, creating=False, data=data)
    draft, problems = _draft_problems(form, version.extras)
    if draft is not None and not problems:
        try:
            with atomic():
                message, category = _save_edit(question, draft, form.category.data or "")
        except BankError as error:
            problems = [str(error)]
        else:
            flash(message, category)
            return redirect(url_for("authoring.bank.question", uid=question.uid))
    return _render_form(form, problems, question)


@bp.get("/<uid>")
@organiser_required
def question(uid: str) -> str:
    question = _question_or_404(uid)
    history = queries.version_history(question)
    version = history[-1][0]
    return render_template(
        "authoring/bank_question.html",
        question=question,
        version=version,
        category=question.category.path,
        student=student_question_view(version, number=1),
        key=key_view(version),
        files=facts_of(version.id),
        file_url=file_url,
        history=history,
        action_form=ActionForm(),
    )


def _version_number(name: str, default: int, count: int) -> int:
    number = request.args.get(name, type=int)
    return number if number is not None and 1 <= number <= count else default


@bp.get("/<uid>/versions")
@organiser_required
def versions(uid: str) -> str:
    question = _question_or_404(uid)
    history = queries.version_history(question)
    count = len(history)
    b = _version_number("b", count, count)
    a = _version_number("a", max(1, b - 1), count)
    form = CompareForm(formdata=None, a=a, b=b)
    choices = [SelectChoice(str(n), _("Version %(number)s", number=n)) for n in range(1, count + 1)]
    form.a.choices = form.b.choices = choices
    before, after = history[a - 1][0], history[b - 1][0]
    return render_template(
        "authoring/bank_versions.html",
        question=question,
        history=history,
        form=form,
        a=a,
        b=b,
        diff=diff_lines(version_lines(before), version_lines(after)),
    )


def _set_retired(uid: str, retired: bool) -> BaseResponse:
    question = _question_or_404(uid)
    if ActionForm().validate_on_submit():
        services.set_retired(question, retired)
        if retired:
            flash(
                _(
                    "Question %(uid)s retired: it stays in past attempts and is left out of new "
                    "quizzes.",
                    uid=uid,
                ),
                "success",
            )
        else:
            flash(_("Question %(uid)s restored.", uid=uid), "success")
    return redirect(url_for("authoring.bank.question", uid=uid))


@bp.post("/<uid>/retire")
@organiser_required
def retire(uid: str) -> BaseResponse:
    return _set_retired(uid, True)


@bp.post("/<uid>/restore")
@organiser_required
def restore(uid: str) -> BaseResponse:
    return _set_retired(uid, False)


def _render_import(form: ImportForm, status: int = 200, **context: Any) -> Rendered:
    labels = {name: kind.label for name, kind in REGISTRY.items()}
    page = render_template("authoring/bank_import.html", form=form, type_labels=labels, **context)
    return page, status


@bp.route("/import", methods=["GET", "POST"])
@organiser_required
def import_gift() -> Rendered:
    """Upload a GIFT or Moodle XML file (told apart by its content) and preview the import."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_import(form, 400 if request.method == "POST" else 200)
    raw = form.file.data.read()
    filename = form.file.data.filename or "upload.gift"
    category = services.normalise_category_path(form.category.data or "")
    skip_unknown = bool(form.skip_unknown.data)
    try:
        read = read_bank_file(raw, category=category, skip_unknown=skip_unknown)
        plan = plan_import(read.questions, category=category, categories=read.categories)
    except BankImportError as error:
        return _render_import(form, 400, problems=error.problems, filename=filename)
    upload = Upload(
        text=raw.decode("utf-8-sig"),
        category=category,
        filename=filename,
        format=read.format,
        skip_unknown=skip_unknown,
    )
    confirm = ConfirmImportForm(
        formdata=None, payload=sign_upload(upload, current_app.config["SECRET_KEY"])
    )
    return _render_import(
        form,
        plan=plan,
        counts=action_counts(plan),
        filename=filename,
        confirm_form=confirm,
        skipped=[(item.line, skipped_message(item)) for item in read.skipped],
    )


@bp.post("/import/confirm")
@organiser_required
def import_confirm() -> BaseResponse | Rendered:
    form = ConfirmImportForm()
    try:
        if not form.validate_on_submit():
            raise UploadRefused("no payload")
        upload = read_signed_upload(form.payload.data or "", current_app.config["SECRET_KEY"])
    except UploadRefused:
        refused = _(
            "This import could not be confirmed: the preview is too old or was changed. "
            "Nothing was imported. Upload the file again."
        )
        return _render_import(ImportForm(formdata=None), 400, refused=refused)
    try:
        with atomic():
            read = read_bank_file(
                upload.text,
                fmt=upload.format,
                category=upload.category,
                skip_unknown=upload.skip_unknown,
            )
            plan = apply_import(
                read.questions,
                category=upload.category,
                author=current_user,
                categories=read.categories,
            )
    except BankImportError as error:
        return _render_import(
            ImportForm(formdata=None), 400, problems=error.problems, filename=upload.filename
        )
    except BankError as error:  # e.g. a $CATEGORY: path too long to store
        refused = _("Nothing was imported: %(error)s", error=str(error))
        return _render_import(ImportForm(formdata=None), 400, refused=refused)
    flash(import_summary(plan), "success")
    return redirect(url_for("authoring.bank.browse"))


@bp.get("/export")
@organiser_required
def export() -> BaseResponse:
    """Download the bank (or a category's subtree) as GIFT, or as Moodle XML with
    `?format=moodle-xml`."""
    category = request.args.get("category") or None
    fmt = request.args.get("format") or "gift"
    if fmt not in ("gift", MOODLE_XML):
        abort(404)
    if category is not None:
        category = services.normalise_category_path(category)
        if category not in queries.category_paths():
            abort(404)
    try:
        if fmt == MOODLE_XML:
            text, content_type = export_moodle_xml(category), "application/xml; charset=utf-8"
        else:
            text, content_type = export_gift(category), "text/plain; charset=utf-8"
    except GiftWriteError as error:
        flash(_("The bank could not be written as GIFT: %(error)s.", error=str(error)), "error")
        return redirect(url_for("authoring.bank.browse", category=category))
    except MoodleWriteError as error:
        message = _("The bank could not be written as Moodle XML: %(error)s.", error=str(error))
        flash(message, "error")
        return redirect(url_for("authoring.bank.browse", category=category))
    response = current_app.response_class(text, content_type=content_type)
    filename = export_filename(category, fmt)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
