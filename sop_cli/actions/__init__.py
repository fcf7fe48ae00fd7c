"""What a user can ask of `sop`: one module per subject, each a leaf that calls the journal and the core."""
