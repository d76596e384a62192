"""The stylesheet's rules of the house: logical properties, AA contrast, nothing from elsewhere."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "passage" / "core" / "static" / "passage"
CSS = (STATIC / "passage.css").read_text()
CSS_NO_COMMENTS = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
TOKENS = dict(re.findall(r"--(colour-[a-z-]+):\s*(#[0-9a-f]{6})\s*;", CSS_NO_COMMENTS))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# (foreground, background, minimum): 4.5 for text, 3 for borders and focus indicators.
PAIRS = [
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("text-muted", "background", 4.5),
    ("text-muted", "surface", 4.5),
    ("link", "background", 4.5),
    ("link", "surface", 4.5),
    ("link-visited", "background", 4.5),
    ("on-primary", "primary", 4.5),
    ("on-primary", "primary-hover", 4.5),
    ("primary", "blue-background", 4.5),
    ("background", "text", 4.5),  # top bar, quick-exit button
    ("text", "focus-background", 4.5),
    ("focus-background", "text", 3),  # focus ring on the dark top bar
    ("focus", "background", 3),
    ("focus", "surface", 3),
    ("border", "background", 3),
    ("red-text", "red-background", 4.5),
    ("red-text", "background", 4.5),
    ("on-primary", "red-text", 4.5),
    ("amber-text", "amber-background", 4.5),
    ("green-text", "green-background", 4.5),
    ("blue-text", "blue-background", 4.5),
    ("grey-text", "grey-background", 4.5),
    ("red-border", "background", 3),
    ("amber-border", "amber-background", 3),
    ("green-border", "background", 3),
    ("blue-border", "background", 3),
]


@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_colour_pairs_meet_wcag_aa(foreground: str, background: str, minimum: float) -> None:
    ratio = contrast(TOKENS[f"colour-{foreground}"], TOKENS[f"colour-{background}"])
    assert ratio >= minimum, f"{foreground} on {background}: {ratio:.2f} < {minimum}"


PHYSICAL = re.compile(
    r"(?<![-\w])(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
    r"|(?:float|clear|text-align)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)


def test_only_logical_properties() -> None:
    # Arabic and Persian pages mirror by themselves only if nothing says "left" or "right".
    assert not PHYSICAL.findall(CSS_NO_COMMENTS)
    # Four-value margin/padding shorthands set left and right separately: not allowed either.
    for match in re.finditer(r"(?<![-\w])(margin|padding)\s*:\s*([^;]+);", CSS_NO_COMMENTS):
        assert len(match.group(2).split()) <= 3, match.group(0)


def test_nothing_is_loaded_from_anywhere() -> None:
    assert "@import" not in CSS_NO_COMMENTS
    assert "@font-face" not in CSS_NO_COMMENTS
    for url in re.findall(r"url\(([^)]*)\)", CSS_NO_COMMENTS):
        pytest.fail(f"the stylesheet loads {url}")


def test_status_colours_exist_for_tags_and_banners() -> None:
    for colour in ("red", "amber", "green", "blue"):
        assert f".tag--{colour}" in CSS
    for kind in ("danger", "warning", "success"):
        assert f".banner--{kind}" in CSS
    assert ":focus-visible" in CSS


def test_htmx_is_vendored_with_licence_and_provenance() -> None:
    vendor = STATIC / "vendor"
    script = (vendor / "htmx.min.js").read_bytes()
    readme = (vendor / "README.md").read_text()
    assert (vendor / "htmx.LICENSE.txt").read_text().startswith("Zero-Clause BSD")
    assert "htmx.org" in readme and "2.0.11" in readme
    assert hashlib.sha256(script).hexdigest() in readme
    assert b'version:"2.0.11"' in script
