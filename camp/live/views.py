"""The live sessions' blueprint: its children are the phones' pages (`live.phone.*`), the
question board on the phones (`live.board.*`), the projector and its controls
(`live.host.*`) and the organiser's screens (`live.organiser.*`)."""

from __future__ import annotations

from flask import Blueprint

from camp.live import board_views, host_views, organiser_views, phone_views

bp = Blueprint("live", __name__)
bp.register_blueprint(phone_views.bp)
bp.register_blueprint(board_views.bp)
bp.register_blueprint(host_views.bp)
bp.register_blueprint(organiser_views.bp)
