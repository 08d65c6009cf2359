"""``quote pdf`` prices a request file and writes the draft offer."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pdf_reading import BPMONLINE, read, text_of

from quote.cli import main


def test_quote_pdf_writes_a_valid_offer(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BPMONLINE), encoding="utf-8")
    output = tmp_path / "offer.pdf"
    assert main(["pdf", str(request), "--lang", "ru", "-o", str(output)]) == 0
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF-1.7")
    reader = read(pdf)
    assert "Черновик предложения" in text_of(reader, 0)
    assert reader.trailer["/Root"]["/Lang"] == "ru"


def test_quote_pdf_reports_field_errors(tmp_path, capsys):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**BPMONLINE, "term_years": 0}), encoding="utf-8")
    assert main(["pdf", str(request), "-o", str(tmp_path / "x.pdf")]) == 1
    errors = json.loads(capsys.readouterr().err)["errors"]
    assert [e["field"] for e in errors] == ["term_years"]
    assert not (tmp_path / "x.pdf").exists()


def test_a_process_that_rendered_an_offer_ends_cleanly_and_leaves_no_font_folder(tmp_path):
    """The offer's fonts go to a temporary folder of WeasyPrint's; the process that rendered
    removes it when it ends (a gunicorn worker at every restart), and prints no error."""
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BPMONLINE), encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    code = ("import sys; from quote.cli import main; "
            f"sys.exit(main(['pdf', {str(request)!r}, '-o', {str(tmp_path / 'offer.pdf')!r}]))")
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "TMPDIR": str(temporary)}, timeout=120)
    assert ended.returncode == 0, ended.stderr
    assert "Traceback" not in ended.stderr
    assert (tmp_path / "offer.pdf").read_bytes().startswith(b"%PDF-")
    assert list(temporary.iterdir()) == []


def test_closing_the_engine_removes_its_font_folder(tmp_path):
    """What runs at exit: the engine's font folder goes, and WeasyPrint's own clean-up at
    the interpreter's end finds nothing left to remove (a process of its own: the engine
    is the process's)."""
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BPMONLINE), encoding="utf-8")
    code = ("from pathlib import Path; from quote.cli import main; "
            "from quote.pdf.render import engine; "
            f"main(['pdf', {str(request)!r}, '-o', {str(tmp_path / 'offer.pdf')!r}]); "
            "folder = Path(engine().font_config._folder); made = folder.is_dir(); "
            "engine().close(); print(made, folder.exists(), engine().font_config._folder)")
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=120)
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.split()[-3:] == ["True", "False", "None"]
