"""The command line as an operator uses it: one clear line and exit code 2 for anything wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    environment.update(
        {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "PYTHONPATH": str(ROOT)}
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_without_token_says_exactly_what_to_set(tmp_path):
    result = run(tmp_path, "run")
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_setting_is_one_line(tmp_path):
    result = run(tmp_path, "run", BOT_TOKEN="1:x", TIMEZONE="Mars/Olympus")
    assert result.returncode == 2 and result.stderr.startswith("tongban: TIMEZONE is invalid")


def test_invite_links_for_each_role(tmp_path):
    env = {"BOT_USERNAME": "tongban_bot"}
    coordinator = run(tmp_path, "invite", "--role", "coordinator", "--name", "Li", **env)
    assert coordinator.returncode == 0, coordinator.stderr
    assert coordinator.stdout.startswith("https://t.me/tongban_bot?start=")
    child = run(
        tmp_path,
        "invite",
        "--role",
        "child",
        "--name",
        "xiaoming",
        "--age-band",
        "10-12",
        "--guardianship",
        "grandparents",
        **env,
    )
    parent = run(tmp_path, "invite", "--role", "parent", "--child", "xiaoming", **env)
    volunteer = run(
        tmp_path, "invite", "--role", "volunteer", "--child", "xiaoming", "--name", "Wang", **env
    )
    assert all(r.returncode == 0 for r in (child, parent, volunteer))
    missing = run(tmp_path, "invite", "--role", "parent", "--child", "nobody", **env)
    assert missing.returncode == 2 and "nobody" in missing.stderr


def test_invite_without_username_or_token_explains(tmp_path):
    result = run(tmp_path, "invite", "--role", "coordinator", "--name", "Li")
    assert result.returncode == 2 and "BOT_USERNAME" in result.stderr


@pytest.mark.parametrize("bad_row", ["child,xiaohong,,99,grandparents", "teacher,Zhang,,,"])
def test_roster_with_a_bad_row_imports_nothing(tmp_path, bad_row):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"role,name,child,age_band,guardianship\nchild,xiaoming,,10-12,grandparents\n{bad_row}\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "import", str(roster), BOT_USERNAME="tongban_bot")
    assert result.returncode == 2 and result.stderr.startswith("row 3:")
    again = run(
        tmp_path, "invite", "--role", "parent", "--child", "xiaoming", BOT_USERNAME="tongban_bot"
    )
    assert again.returncode == 2  # xiaoming was rolled back with the bad row


def test_roster_prints_one_link_per_row(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "\ufeffRole,Name,Child,Age_band,Guardianship\n"
        "child,小明,,10-12,grandparents\n"
        "child,小红,,7-9,relatives\n"
        "parent,,小明,,\n"
        "volunteer,Wang,小红,,\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "import", str(roster), BOT_USERNAME="tongban_bot")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4 and all("https://t.me/tongban_bot?start=" in line for line in lines)
    assert lines[0].startswith("2,child,小明,")
