"""The architecture rules the layout promises: extraction and storage do not know Scrapy."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE = ["pipelines.extract", "pipelines.scope", "pipelines.titles", "archive", "archive.dataset",
        "archive.warc", "archive.reader", "archive.rewrite", "archive.state"]


def test_pipelines_and_archive_import_without_scrapy():
    code = f"import sys, importlib; [importlib.import_module(m) for m in {PURE!r}]; print('scrapy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
