"""Organiser authoring screens: the question bank (`bank_*`) and quizzes (`quiz_*`)."""
