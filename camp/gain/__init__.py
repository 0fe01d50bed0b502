"""Did the camp work: a cohort's pre-test and post-test, the learning gain between them,
and what the pre-test may show before the post-test closes."""
