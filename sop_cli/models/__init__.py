"""Typed models of everything `sop` reads from files."""
