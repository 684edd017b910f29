"""Time the walkthrough: launch to the step list painted, and to every check done.

Run from the repository root: ``python benchmarks/tui.py [REPO]`` (default: a seed project
built in a temporary git repository). Each sample is a fresh interpreter running the app
headless; the baseline is ``python -c "import textual"`` in the same run, so the figures say
what the walkthrough adds to Textual's own start-up. Budgets: first paint <= 0.5 s, a dialog
painted <= 0.5 s after its key (the push dialog says "checking…" while the checks run again);
the help dialog, which gathers nothing, is the baseline of a modal's own cost.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
BUDGET_FIRST_PAINT_S = 0.5
#: A dialog opens at once (it says "checking…" while it gathers what it shows).
BUDGET_DIALOG_S = 0.5

#: The child: the real app, headless; prints when the step list's first frame is rendered,
#: when the first full run (checks + report) is done, then when the push dialog (``p``), the
#: bump menu (``b``) and the help (``?``) render their first frame after their key; exits.
CHILD = """
import sys, time
from pathlib import Path
from textual.app import App
import release_assistant.tui.app as app_module
from release_assistant.tui.app import ReleaseAssistantApp
from release_assistant.tui.messages import ReportWritten
from release_assistant.tui.screens.dialogs import BumpScreen, ConfirmScreen
from release_assistant.tui.screens.help import HelpScreen
from release_assistant.tui.screens.walkthrough import WalkthroughScreen

def mark(name):
    print(name, time.monotonic(), flush=True)

def open_bump(screen):
    screen.dismiss(False)
    mark("KEY_B")
    screen.app.walkthrough.action_bump()

def open_help(screen):
    screen.dismiss(None)
    mark("KEY_H")
    screen.app.action_help()

#: The first frame the compositor hands to the driver for each screen: what a terminal
#: would show (headless, it is then dropped), and what to do next.
FIRST = {
    WalkthroughScreen: ("PAINT", None),
    ConfirmScreen: ("DIALOG_P", open_bump),
    BumpScreen: ("DIALOG_B", open_help),
    HelpScreen: ("DIALOG_H", lambda screen: screen.app.exit(0)),
}
seen = set()
display = App._display

def first_frames(self, screen, renderable):
    display(self, screen, renderable)
    name, then = FIRST.get(type(screen), (None, None))
    if renderable is None or name is None or name in seen:
        return
    seen.add(name)
    mark(name)
    if then is not None:
        self.call_later(then, screen)

App._display = first_frames

class Timed(ReleaseAssistantApp):
    # Absolute: a class defined in `-c` code has no file to resolve a relative path from.
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def on_report_written(self, message: ReportWritten) -> None:
        mark("DONE")
        mark("KEY_P")
        self.walkthrough.action_push()

Timed(Path(sys.argv[1]), offer_setup=False).run(headless=True, size=(120, 40))
"""

MARKS = ("PAINT", "DONE", "KEY_P", "DIALOG_P", "KEY_B", "DIALOG_B", "KEY_H", "DIALOG_H")


def wall_s(argv: list[str]) -> tuple[float, dict[str, float]]:
    """Wall time of ``argv`` and the monotonic marks it printed, relative to its start."""
    start = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT)
    total = time.monotonic() - start
    marks = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in MARKS:
            marks[name] = float(value) - start
    return total, marks


def seed_repo(directory: Path) -> Path:
    """A committed seed project (version 0.1.1, changelog) with the generated workflow."""
    sys.path.insert(0, str(ROOT))
    from release_assistant.core.project.config import load_config
    from release_assistant.core.workflows.template import plan_init, write_plan
    from tests.conftest import SEED_CHANGELOG, SEED_PYPROJECT

    root = directory / "seed"
    root.mkdir()
    (root / "pyproject.toml").write_text(SEED_PYPROJECT, encoding="utf-8")
    (root / "CHANGELOG.md").write_text(SEED_CHANGELOG.lstrip(), encoding="utf-8")
    loaded = load_config(root)
    write_plan(plan_init(root, loaded.config.workflow, loaded.pyproject))
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", *env, "-C", str(root), "commit", "-q", "-m", "seed"], check=True)
    # Tagged, so the push dialog (p) opens: it checks everything again, then plans.
    tag = ["tag", "-a", "v0.1.1", "-m", "v0.1.1"]
    subprocess.run(["git", *env, "-C", str(root), *tag], check=True)
    return root


def main() -> int:
    """Print medians of the baseline, first paint, all-checks-done and the dialogs' opening."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(sys.argv[1]) if len(sys.argv) > 1 else seed_repo(Path(tmp))
        baseline = statistics.median(
            wall_s([sys.executable, "-c", "import textual"])[0] for _ in range(RUNS)
        )
        samples: dict[str, list[float]] = {
            "paint": [],
            "done": [],
            "push": [],
            "bump": [],
            "help": [],
        }
        for _ in range(RUNS):
            _, marks = wall_s([sys.executable, "-c", CHILD, str(repo)])
            samples["paint"].append(marks["PAINT"])
            samples["done"].append(marks["DONE"])
            samples["push"].append(marks["DIALOG_P"] - marks["KEY_P"])
            samples["bump"].append(marks["DIALOG_B"] - marks["KEY_B"])
            samples["help"].append(marks["DIALOG_H"] - marks["KEY_H"])
    paint, done, push, bump, help_ = (statistics.median(samples[k]) for k in samples)
    print(f"repository: {repo}")
    print(f"python -c 'import textual'     {baseline * 1000:7.0f} ms (baseline)")
    print(
        f"launch -> step list painted    {paint * 1000:7.0f} ms (+{(paint - baseline) * 1000:.0f})"
    )
    print(f"launch -> every check done     {done * 1000:7.0f} ms (+{(done - baseline) * 1000:.0f})")
    print(f"p -> push dialog painted       {push * 1000:7.0f} ms (checking… until planned)")
    print(f"b -> bump menu painted         {bump * 1000:7.0f} ms (checking… until read)")
    print(f"? -> help painted              {help_ * 1000:7.0f} ms (a modal's own cost)")
    within = paint <= BUDGET_FIRST_PAINT_S and max(push, bump) <= BUDGET_DIALOG_S
    verdict = "within" if within else "OVER"
    print(
        f"budgets: first paint {BUDGET_FIRST_PAINT_S * 1000:.0f} ms, dialogs "
        f"{BUDGET_DIALOG_S * 1000:.0f} ms: {verdict}"
    )
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
