"""Widgets of the app: question views and card views."""
