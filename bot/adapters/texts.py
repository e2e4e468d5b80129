"""Every text a person sees: Jinja2 templates from `dialogs/templates`, translated through Babel.

Catalogs are read straight from the `.po` files at start-up (no compiled `.mo` to go stale), and
autoescaping makes every value put into a template safe for Telegram's HTML parse mode.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.adapters.dialogs import DIALOGS_DIR, load_labels

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
TEMPLATES_DIR = DIALOGS_DIR / "templates"
DOMAIN = "messages"


def load_catalog(locale: str, locale_dir: Path = LOCALE_DIR) -> NullTranslations:
    """Translations for `locale` from its .po file; fuzzy entries are left out on purpose."""
    po_path = locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


class Texts:
    """Renders templates and labels in a person's language."""

    def __init__(
        self, locales: tuple[str, ...], default_locale: str, warm_up: bool = True
    ) -> None:
        """`warm_up=False` compiles each template at its first use instead (a one-shot command
        line verb renders one or two of them)."""
        self.locales = locales
        self.default_locale = default_locale
        self._catalogs = {locale: load_catalog(locale) for locale in locales}
        self._envs = {locale: self._environment(self._catalogs[locale]) for locale in locales}
        self._labels = load_labels()
        if warm_up:
            self._warm_up()

    def _warm_up(self) -> None:
        """Compile every template and load each locale's date data now, at start-up, so the
        first urgent alert is not the one that pays for it."""
        for locale, env in self._envs.items():
            for path in TEMPLATES_DIR.glob("*.j2"):
                env.get_template(path.name)
            Locale.parse(locale).datetime_skeletons  # noqa: B018 - loads the locale's data

    @staticmethod
    def _environment(catalog: NullTranslations) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            extensions=["jinja2.ext.i18n"],
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        env.policies["ext.i18n.trimmed"] = True
        env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
        return env

    def _locale(self, locale: str | None) -> str:
        return locale if locale in self._envs else self.default_locale

    def render(self, template: str, locale: str | None, **context: Any) -> str:
        """Render `dialogs/templates/<template>.j2`; the result is Telegram-ready HTML."""
        env = self._envs[self._locale(locale)]
        return env.get_template(f"{template}.j2").render(**context).strip()

    def gettext(self, msgid: str, locale: str | None) -> str:
        """Translate a msgid that came from `dialogs/` data (prompts, option labels)."""
        return self._catalogs[self._locale(locale)].gettext(msgid)

    def label(self, key: str, locale: str | None, group: str = "labels") -> str:
        """A short button or notice text from labels.yaml, translated and NOT escaped."""
        return self.gettext(self._labels[group][key], locale)
