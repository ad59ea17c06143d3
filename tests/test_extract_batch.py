from nhsgraph.extract import FileError, extract_batch, extract_files


def test_extract_files_continues_after_errors(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Kirklees Council met NHS Kirklees.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    results = list(extract_files([bad, good], jsonl=False, workers=1))
    assert isinstance(results[0][1], FileError) and "empty" in results[0][1].message
    assert results[1][1]["doc"] == "good.txt" and results[1][1]["orgs"]


def test_batch_pool_matches_single_process():
    items = [(f"NHS Oldham chair Helen Grant {i} said Oldham Council agreed.", f"d{i}")
             for i in range(6)]
    assert extract_batch(items, workers=2, chunk_size=2) == extract_batch(items, workers=1)
