"""Live sessions: a host-paced quiz on the projector, answered on phones.

Every piece of a session's state (its phase, the current item, when it opened and closes,
each answer) is a row in the database, never one process's memory, so any worker or host
can serve any phone. `services` is the one way in for views, the CLI and the tests, and
`board` for the question board beside the quiz.
"""
