"""Planning a period: the working-day calendar and its overrides, duties, the problem builder, solve jobs."""
