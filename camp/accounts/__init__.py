"""Accounts: users, roles, cohorts and memberships, login and sign-up."""
