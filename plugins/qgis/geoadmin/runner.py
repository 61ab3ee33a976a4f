"""Runs the geoadmin program for an algorithm: finds it, passes the arguments, follows its
progress (--progress-json on stderr) into the feedback, ends it when the user cancels, and
reads what it wrote (JSON lines on stdout, data-schemas/finding.schema.json)."""
import json
import os
import queue
import shutil
import subprocess
import threading
import time

from qgis.core import QgsProcessingException, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

PROGRAM_SETTING = "GEOADMIN_PROGRAM"


def tr(text):
    return QCoreApplication.translate("geoadmin", text)


def language():
    """zh when QGIS speaks Chinese, else en: the language of messages and styles."""
    locale = QgsSettings().value("locale/userLocale", "") or ""
    if not locale:
        from qgis.PyQt.QtCore import QLocale
        locale = QLocale().name()
    return "zh" if str(locale).lower().startswith("zh") else "en"


def configured_program():
    """The program set in the provider's settings, or ""."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
        value = ProcessingConfig.getSetting(PROGRAM_SETTING)
    except Exception:  # Processing not loaded: only the environment and PATH
        value = None
    return (value or os.environ.get("GEOADMIN_PROGRAM", "") or "").strip()


def find_program():
    """The geoadmin program: the provider setting, else $GEOADMIN_PROGRAM, else PATH."""
    path = configured_program()
    if path:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
        raise QgsProcessingException(
            tr("The geoadmin program set in Processing › Options › Providers › geoadmin "
               "is not an executable file: {}").format(path))
    found = shutil.which("geoadmin")
    if not found:
        raise QgsProcessingException(
            tr("The geoadmin program was not found on PATH. Install it (cmake --install), or "
               "set its path in Processing › Options › Providers › geoadmin."))
    return found


class Result:
    def __init__(self, code, lines, notes, text):
        self.code = code        # exit code
        self.lines = lines      # stdout's JSON lines, parsed (others skipped)
        self.notes = notes      # stderr's plain lines
        self.text = text        # stdout as text

    def findings(self):
        return [j for j in self.lines if isinstance(j, dict) and "rule" in j]

    def counts(self):
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings():
            out[f.get("severity", "info")] = out.get(f.get("severity", "info"), 0) + 1
        return out

    def summary(self):
        for j in reversed(self.lines):
            if isinstance(j, dict) and "summary" in j:
                return j["summary"]
        return None


EXIT_MEANINGS = {
    2: "usage error",
    3: "input unreadable",
    4: "internal error",
}


def run(args, feedback, stdin_text=None, progress=True):
    """Runs geoadmin with `args`; raises QgsProcessingException on exit codes 2 to 4 (with
    the program's own message) and when the user cancels."""
    program = find_program()
    command = [program] + list(args) + (["--progress-json"] if progress else [])
    if feedback is not None:
        feedback.pushCommandInfo(" ".join(_quote(a) for a in command))
    env = dict(os.environ)
    env.setdefault("LANG", "C.UTF-8")
    proc = subprocess.Popen(command, stdin=subprocess.PIPE if stdin_text is not None else
                            subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)
    out_chunks, notes = [], []

    def read_stdout():
        for chunk in iter(lambda: proc.stdout.read(65536), b""):
            out_chunks.append(chunk)

    events = queue.Queue()  # stderr's lines, handed to the feedback on this thread

    def read_stderr():
        for raw in iter(proc.stderr.readline, b""):
            events.put(raw.decode("utf-8", "replace").rstrip("\r\n"))

    def report():
        while True:
            try:
                line = events.get_nowait()
            except queue.Empty:
                return
            if line.startswith('{"progress"'):
                try:
                    p = json.loads(line)["progress"]
                    if feedback is not None and p.get("percent", -1) >= 0:
                        feedback.setProgressText(p.get("step", ""))
                        feedback.setProgress(p["percent"])
                    continue
                except ValueError:
                    pass
            if line.strip():
                notes.append(line)
                if feedback is not None:
                    feedback.pushInfo(line)

    threads = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    for t in threads:
        t.start()
    if stdin_text is not None:
        try:
            proc.stdin.write(stdin_text.encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
    while proc.poll() is None:
        report()
        if feedback is not None and feedback.isCanceled():
            proc.terminate()
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for t in threads:
                t.join(1)
            proc.stdout.close()
            proc.stderr.close()
            raise QgsProcessingException(tr("Canceled: geoadmin was stopped."))
        time.sleep(0.05)
    for t in threads:
        t.join()
    report()
    proc.stdout.close()
    proc.stderr.close()
    text = b"".join(out_chunks).decode("utf-8", "replace")
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                pass
    if proc.returncode >= 2 or proc.returncode < 0:
        meaning = EXIT_MEANINGS.get(proc.returncode, "stopped")
        detail = "\n".join(notes[-5:]) or text[-500:]
        raise QgsProcessingException(
            tr("geoadmin ended with exit code {} ({}): {}").format(proc.returncode, meaning,
                                                                   detail))
    return Result(proc.returncode, lines, notes, text)


def command_help(command):
    """`geoadmin COMMAND --help`, or "" when the program is not there."""
    try:
        program = find_program()
        return subprocess.run([program] + command + ["--help"], capture_output=True,
                              timeout=10).stdout.decode("utf-8", "replace")
    except Exception:
        return ""


def _quote(arg):
    return arg if arg and all(c.isalnum() or c in "-_./:=@," for c in arg) else "'" + arg + "'"
