"""Rosters: drafts, published versions, proposals, swap requests, the clerk desk, the review, the notice board."""
