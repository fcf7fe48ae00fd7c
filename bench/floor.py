"""The floor `sop status` is measured against: a minimal typer + rich program printing a 14-row table.

It pays what every Python command-line tool built on typer and rich pays (the interpreter, the
two imports, one table) and nothing of sop's own; bench/status.py runs it beside `sop status`.
"""

from __future__ import annotations

import typer
from rich import box
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def status() -> None:
    """Print a table shaped like `sop status`: 14 procedures, two lines a row."""
    table = Table(title="สถานะงาน ปีงบประมาณ 2570", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("ที่", "งาน / ขั้นตอนปัจจุบัน", "ความคืบหน้า", "ผู้รับผิดชอบ", "ตีกลับ"):
        table.add_column(header)
    for number in range(1, 15):
        table.add_row(
            str(number),
            "ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ\n10. ประสาน/ทำหนังสือราชการแจ้งเรื่องการติดตาม",
            "██████░░ 10/14\n226.5/1188 ชม.",
            "นันทนา +3\n1 มี.ค. 2570",
            "-",
        )
    Console().print(table)


if __name__ == "__main__":
    app()
