"""Pure change logic: apply a change, diff rosters, repair, rank suggestions. No ORM, no Flask."""
