"""Values many tests share: the clock of fiscal year 2570 and the supervisor who acts."""

import datetime as dt

from sop_cli.journal import Actor
from sop_cli.thai_calendar import BANGKOK

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK)  # a Wednesday of fiscal year 2570
ME = Actor(by="nanthana", now=NOW)  # นันทนา, a supervisor of the demonstration roster
