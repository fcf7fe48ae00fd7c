"""sop: track the fourteen standard operating procedures of the supervision group."""

__version__ = "0.1.0"
