"""Reports: /baocao, the half-year and annual report of a club and the association reviewer's combined view."""

from handlers.reports.report import flow

__all__ = ["flow"]
