"""Lesson modules: the content loaded from `quizzes/`, lesson pages and lesson progress."""
