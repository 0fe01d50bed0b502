"""Quizzes: settings and slots, attempts, responses and grading, and the taking views."""
