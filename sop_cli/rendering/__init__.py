"""Turn ready view-models into terminal output and documents."""
