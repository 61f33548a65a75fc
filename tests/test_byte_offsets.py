"""pglast reports UTF-8 byte offsets; ByteOffsets turns them into character offsets."""

from __future__ import annotations

import random

import pytest

from linter.source import ByteOffsets


def _expected(text: str) -> dict[int, int]:
    """Byte offset of each character boundary -> character offset, by encoding each character."""
    mapping, byte = {0: 0}, 0
    for index, char in enumerate(text):
        byte += len(char.encode("utf-8", "surrogatepass"))
        mapping[byte] = index + 1
    return mapping


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "é", "café crème", "日本語 ok", "🎉 party", "a\ud800b", "\x7f\x80\u07ff\u0800\uffff\U00010000 end"],
)
def test_boundaries_map_to_characters(text):
    offsets = ByteOffsets(text)
    for byte, char in _expected(text).items():
        assert offsets.to_char(byte) == char


def test_random_texts_of_every_width():
    rng = random.Random(7)
    alphabet = "ab ;\n" + "é日🎉Ω" + "\ud800\u07ff\u0800\uffff\U00010000\x80"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        offsets = ByteOffsets(text)
        for byte, char in _expected(text).items():
            assert offsets.to_char(byte) == char
