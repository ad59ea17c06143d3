"""The docs are held to the code: the CLI reference is generated from the commands' help."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current(tmp_path):
    out = tmp_path / "cli.md"
    subprocess.run([sys.executable, "-m", "typer", "nhsgraph.cli", "utils", "docs", "--name",
                    "nhsgraph", "--title", "nhsgraph command reference", "--output", str(out)],
                   check=True, capture_output=True)
    assert out.read_text() == (ROOT / "docs" / "cli.md").read_text(), \
        "docs/cli.md is stale: run scripts/cli-docs.sh"


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    for script in ("scripts/demo.sh", "scripts/test.sh"):
        assert script in readme and (ROOT / script).is_file()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
