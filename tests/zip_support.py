"""Zip files edited at the byte level, for the tests of hostile workbooks and documents."""

from __future__ import annotations


def with_member_flags(data: bytes, name: str, flags: int) -> bytes:
    """The zip ``data`` with the general purpose flags of member ``name`` set to
    ``flags`` in its central directory entry (what :mod:`zipfile` decides by when it
    opens the member). The directory is found from the end record, not by searching
    for its signature, which the compressed data may hold."""
    out = bytearray(data)
    end = out.rindex(b"PK\x05\x06")
    entry = int.from_bytes(out[end + 16:end + 20], "little")  # the directory's offset
    for _ in range(int.from_bytes(out[end + 10:end + 12], "little")):  # its entries
        if out[entry:entry + 4] != b"PK\x01\x02":
            break
        size, extra, comment = (int.from_bytes(out[entry + at:entry + at + 2], "little")
                                for at in (28, 30, 32))
        if out[entry + 46:entry + 46 + size] == name.encode():
            out[entry + 8:entry + 10] = flags.to_bytes(2, "little")
            return bytes(out)
        entry += 46 + size + extra + comment
    raise ValueError(f"no member {name} in the zip's directory")
