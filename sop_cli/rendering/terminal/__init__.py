"""Everything `sop` draws in the terminal, one module per subject; `base` owns the consoles."""
