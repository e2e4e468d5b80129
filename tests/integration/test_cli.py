"""The command line as an operator uses it: one clear line and exit code 2 for anything wrong."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    environment.update(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
            "PYTHONPATH": str(ROOT),
            "DEFAULT_LOCALE": "en",  # the assertions read English; zh_CN is covered by catalogs
        }
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


async def test_run_with_a_refused_token_or_no_route_says_which_setting(tmp_path):
    from bot.emulator import BotAPIEmulator

    (tmp_path / "other").mkdir()
    async with BotAPIEmulator() as emu:
        wrong_token, unreachable = await asyncio.gather(
            asyncio.to_thread(
                run, tmp_path, "run", BOT_TOKEN="1:WRONG", TELEGRAM_BASE_URL=emu.base_url
            ),
            asyncio.to_thread(
                run,
                tmp_path / "other",
                "run",
                BOT_TOKEN=emu.token,
                TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
            ),
        )
    for result, setting in ((wrong_token, "BOT_TOKEN"), (unreachable, "TELEGRAM_BASE_URL")):
        assert result.returncode == 2 and setting in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "1:WRONG" not in wrong_token.stderr  # the token itself is never printed


async def test_fetch_username_goes_through_the_proxy(tmp_path):
    from bot.config import ConfigError
    from bot.emulator import BotAPIEmulator
    from bot.telegram.identity import fetch_username
    from tests.conftest import make_settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    async with BotAPIEmulator() as emu:
        settings = make_settings(url, bot_token=emu.token, telegram_base_url=emu.base_url)
        assert await fetch_username(settings) == "tongban_test_bot"
        proxied = settings.model_copy(update={"telegram_proxy": "http://127.0.0.1:9"})
        with pytest.raises(ConfigError, match="through TELEGRAM_PROXY"):
            await fetch_username(proxied)


def test_gbk_roster_imports_and_prints_real_csv(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(
        "role,name,child,age_band,guardianship,village,school\n"
        "child,小明,,10-12,grandparents,  石桥村 ,中心小学\n"
        'volunteer,"Wang, Jr",小明,,,,\n'.encode("gb18030")
    )
    result = run(tmp_path, "import", str(roster), BOT_USERNAME="tongban_bot")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[:3] for row in rows] == [["2", "child", "小明"], ["3", "volunteer", "Wang, Jr"]]
    assert all(row[3].startswith("https://t.me/tongban_bot?start=") for row in rows)


def test_roster_naming_a_child_twice_imports_nothing(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "role,name,age_band,guardianship\n"
        "child,XiaoMing,10-12,grandparents\n"
        "child, xiaoming ,7-9,relatives\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "import", str(roster), BOT_USERNAME="tongban_bot")
    assert result.returncode == 2 and result.stderr.startswith("row 3:"), result.stderr
    assert "xiaoming" in result.stderr and "2" in result.stderr.split(":", 1)[1]
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "row", "reason"),
    [
        ("role,name,age_band,guardianship,village\nchild,a,7-9,other,\n", None, None),
        ("role,name,age_band,guardianship,school\nchild,a,7-9,other,x\n,,,\n", None, None),
        (
            f"role,name,age_band,guardianship,village\nchild,a,7-9,other,{'v' * 33}\n",
            2,
            "too_long",
        ),
        ("role,name,age_band,guardianship,school\nchild,a,7-9,other,\x07bell\n", 2, "control"),
    ],
)
def test_roster_village_and_school_are_cleaned_like_names(tmp_path, content, row, reason):
    from bot.roster import RosterError, read_roster

    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8")
    if row is None:
        [(_, request)] = read_roster(roster)
        assert (
            request.name == "a" and request.village in ("", None) and request.school in ("", "x")
        )
        return
    with pytest.raises(RosterError) as caught:
        read_roster(roster)
    assert caught.value.row == row and caught.value.error.reason == "roster_bad_field"
    assert caught.value.error.params["problem"].startswith(reason)


def test_roster_that_is_not_text_is_one_line(tmp_path):
    from bot.config import ConfigError
    from bot.roster import read_roster

    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(b"PK\x03\x04\x80\xff\xfe\x00binary")
    with pytest.raises(ConfigError, match="is not UTF-8 or GBK text"):
        read_roster(roster)


def test_migrate_speaks_the_program_language(tmp_path):
    result = run(tmp_path, "migrate", DEFAULT_LOCALE="zh_CN")
    assert result.returncode == 0 and "数据库" in result.stdout
