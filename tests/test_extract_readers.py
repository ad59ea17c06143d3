import pytest

from nhsgraph.errors import NhsgraphError
from nhsgraph.extract import UnreadableDocument, read_document


def _pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF with ``text`` in Helvetica, offsets computed for the xref."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_reads_utf8_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("NHS Wiltshire met on 3 May 2011.", encoding="utf-8")
    text, meta = read_document(p)
    assert text == "NHS Wiltshire met on 3 May 2011."
    assert meta["format"] == "text" and not meta["encoding_fallback"]


def test_html_drops_boilerplate(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>T</title><script>var x=1;</script></head><body>"
                 "<nav>Home | News</nav><div class='cookie-banner'>We use cookies</div>"
                 "<main><h1>Trust rated</h1><p>Wiltshire Council agreed the plan.</p></main>"
                 "<footer>Copyright</footer></body></html>", encoding="utf-8")
    text, meta = read_document(p)
    assert "Wiltshire Council agreed the plan." in text
    assert "cookies" not in text and "Home" not in text and "var x" not in text
    assert "Copyright" not in text and meta["title"] == "T"


def test_pdf_text(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(_pdf_bytes("Bexley NHS Care Trust board"))
    text, meta = read_document(p)
    assert "Bexley NHS Care Trust" in text and meta["format"] == "pdf"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("bin.txt", b"\x00\x01\x02\x03binary\x00", "binary"),
    ("bad.pdf", b"%PDF-1.4\n garbage without objects", "malformed PDF"),
    ("bad.html", b"just words, no tags at all", "malformed HTML"),
])
def test_bad_inputs_raise_clear_errors(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(UnreadableDocument) as exc:
        read_document(p)
    assert reason in str(exc.value) and isinstance(exc.value, NhsgraphError)


def test_cp1252_falls_back_with_warning(tmp_path):
    p = tmp_path / "w.txt"
    p.write_bytes("The trust\u2019s chair \u2013 NHS Knowsley".encode("cp1252"))
    text, meta = read_document(p)
    assert "\u2019" in text and meta["encoding_fallback"] and meta["warnings"]
    with pytest.raises(UnreadableDocument, match="UTF-8"):
        read_document(p, strict_encoding=True)


def test_file_over_cap_is_refused_quickly(tmp_path):
    p = tmp_path / "big.txt"
    with p.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)   # sparse 51 MB file
    with pytest.raises(UnreadableDocument, match="too large"):
        read_document(p)
