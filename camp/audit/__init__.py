"""The audit log: organiser and admin actions that change grades, roles or memberships."""
