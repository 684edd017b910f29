"""Reading shell: the simple commands of a ``run:`` script and the scripts it runs.

Commands are split on ``&&``, ``||``, ``;`` and pipes, continued lines joined, comments
and echoes (``echo``, ``printf``, ``grep`` ...) skipped. A command that runs a repository
script (``scripts/publish.sh``, ``bash tools/release``, ``uv run tools/release.py``, a
``make`` target, a ``tox -e`` environment's commands, a ``nox -s`` session) is followed
into that file, and from there on, :data:`MAX_SCRIPT_DEPTH` levels deep: shell to Python
to the commands Python runs (``subprocess.run(["twine", "upload", ...])``, read from its
syntax tree, never run). What cannot be followed (a task runner whose file is not there, a
script that is not in the repository, a Python call whose command is computed, a package
of the repository run with ``python -m``) is reported as :class:`Opaque`: it might upload.
A command a script runs only under its own condition (``if``, after a test's ``&&``, after
a guard that exits; a Python call under ``if``) is ``conditional``: when it runs is the
script's decision, not visible in the workflow.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release_assistant.core.support.confined import is_inside
from release_assistant.core.support.textfiles import FileProblem, read_text

if TYPE_CHECKING:
    import ast

#: Largest repository script followed (a publish script is a few lines).
_MAX_SCRIPT_BYTES = 256 * 1024


def _script_text(path: str) -> str | None:
    """The text of a repository script or task file already confined to the work tree;
    ``None`` when it is larger than a script is, unreadable or not text."""
    try:
        if os.path.getsize(path) > _MAX_SCRIPT_BYTES:
            return None
        return read_text(path)
    except (OSError, FileProblem):
        return None


#: How many scripts deep a ``run:`` is followed (workflow -> shell -> Python -> ...).
MAX_SCRIPT_DEPTH = 4

_SPLIT_COMMANDS = re.compile(r"\s*(?:&&|\|\||;|\|)\s*")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_SCRIPT_RUNNERS = frozenset(
    {"bash", "sh", "zsh", "dash", "python", "python3", "source", ".", "exec", "sudo"}
)
_ECHOES = frozenset({"echo", "printf", "cat", "grep", "test", "[", "[["})
#: Words that open a command of a compound statement (``then twine upload``).
_SHELL_KEYWORDS = frozenset({"then", "else", "do", "{", "(", "!"})


@dataclass(frozen=True, slots=True)
class Command:
    """One simple shell command of a ``run:`` script (or of a repository script it runs)."""

    text: str
    line: int
    #: The repository script it was read from (``None``: the workflow's own ``run:``).
    script: str | None = None
    script_line: int | None = None
    #: How many scripts deep it was found (0: the workflow's own ``run:``).
    depth: int = 0
    #: Run only under a condition the script itself checks (``if``, ``&&``, a guard that
    #: exits first): whether it runs on a given event is not visible.
    conditional: bool = False


@dataclass(frozen=True, slots=True)
class Opaque:
    """A command whose effect the tool cannot see: it might upload (or store a credential).

    ``what`` names it for a message (`` `tox -e release` ``, ``scripts/publish.sh``);
    ``why`` says why it was not followed.
    """

    command: Command
    what: str
    why: str


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        start = index
        parts = [lines[index]]
        while parts[-1].rstrip().endswith("\\") and index + 1 < len(lines):
            parts[-1] = parts[-1].rstrip()[:-1]
            index += 1
            parts.append(lines[index])
        yield start, " ".join(parts)
        index += 1


def commands(text: str, line: int, script: str | None = None, depth: int = 0) -> Iterator[Command]:
    """Every simple command of a shell script starting at ``line`` (comments skipped).

    A command the script runs only under a condition of its own (inside ``if``/``case``,
    after ``&&`` or ``||``, or after a guard that exits) is marked ``conditional``.
    """
    blocks: list[str] = []  # the open compound statements, innermost last
    guarded = False
    for offset, logical in _logical_lines(text):
        stripped = _COMMENT.sub("", logical).strip()
        if not stripped:
            continue
        # `[ "$REF" = ... ] && twine upload`: what follows a test runs only when it holds.
        after_test = False
        for segment in _SPLIT_COMMANDS.split(stripped):
            segment = segment.strip()
            first = segment.split(None, 1)[0] if segment else ""
            tested, after_test = after_test, first in ("[", "[[", "test")
            while first in _SHELL_KEYWORDS and segment:
                segment = segment[len(first) :].strip()
                first = segment.split(None, 1)[0] if segment else ""
            if first in ("if", "case", "while", "until", "for"):
                blocks.append(first)
                continue
            if first in ("fi", "esac", "done"):
                if blocks:
                    blocks.pop()
                continue
            if first == "elif":
                continue
            under_condition = any(block in ("if", "case") for block in blocks)
            if first == "exit" and (under_condition or tested) and segment.split()[1:2] != ["0"]:
                guarded = True
            if not segment or first in _ECHOES:
                continue
            conditional = guarded or under_condition or tested
            if script is None:
                yield Command(segment, line + offset, conditional=conditional)
            else:
                yield Command(segment, line, script, offset + 1, depth, conditional)


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


#: What makes :func:`shlex.split` split ASCII text otherwise than :meth:`str.split`: quotes, the
#: escape, and the ASCII whitespace ``str.split`` separates at and shlex does not.
_NOT_PLAIN_WORDS = frozenset("'\"\\\x0b\x0c\x1c\x1d\x1e\x1f")


def shell_words(text: str) -> list[str]:
    """The words of a command as the shell splits them (quotes removed)."""
    # `${{ steps.x.outputs.y }}` is one word to the shell once GitHub has filled it in.
    text = _EXPRESSION.sub(lambda m: "${{" + m.group(1).replace(" ", "") + "}}", text)
    if text.isascii() and _NOT_PLAIN_WORDS.isdisjoint(text):
        # shlex's answer, without its character-by-character reader (most of a workflow
        # hook's run went there): no quote or escape to remove, the same separators.
        return text.split()
    try:
        return shlex.split(text, comments=False)
    except ValueError:  # an unbalanced quote: good enough for option names
        return text.split()


def script_of(command: str, root: str) -> tuple[str, str] | None:
    """The repository script a command runs, as ``(path relative to root, text)``."""
    words = shell_words(command)
    while words and "=" in words[0] and not words[0].startswith(("-", "/", ".")):
        words = words[1:]  # `VAR=value cmd`
    if not words:
        return None
    candidate = words[0]
    if candidate in _SCRIPT_RUNNERS:
        rest = [word for word in words[1:] if not word.startswith("-")]
        if not rest:
            return None
        candidate = rest[0]
    if "$" in candidate or candidate.startswith("-"):
        return None
    if "/" not in candidate and not candidate.endswith((".sh", ".py", ".bash")):
        return None
    root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(root, candidate))
    if not is_inside(root, path) or not os.path.isfile(path):
        return None
    text = _script_text(path)
    if text is None:
        return None
    return os.path.relpath(path, root).replace(os.sep, "/"), text


#: Runners that run a command of the project's environment: the command after them counts.
_ENV_RUNNERS = {
    "uv": ("run",),
    "poetry": ("run",),
    "pdm": ("run",),
    "hatch": ("run",),
    "pipenv": ("run",),
    "rye": ("run",),
}
#: Options of those runners that take a value (``uv run --with twine ...``).
_RUNNER_VALUE_OPTIONS = frozenset(
    {
        "--with",
        "--python",
        "-p",
        "--project",
        "--directory",
        "--group",
        "--extra",
        "--env-file",
        "--package",
        "--index",
        "-e",
        "--env",
        "--from",
    }
)
#: Task runners whose tasks live in files the tool does not read: what they run is unknown.
_TASK_RUNNERS = frozenset({"tox", "nox", "just", "invoke", "inv", "task", "doit", "fab"})
_JS_RUNNERS = frozenset({"npm", "yarn", "pnpm", "npx"})
_PREFIXES = frozenset({"sudo", "exec", "time", "command", "env", "nohup"})
_SUBPROCESS_CALLS = frozenset(
    {
        "run",
        "call",
        "check_call",
        "check_output",
        "popen",
        "system",
        "getoutput",
        "getstatusoutput",
        "run_command",
        "run_cmd",
        "spawn",
        "sh",
        "shell",
        "execute",
        "invoke",
        "cmd",
    }
)


def _command_words(command: str) -> list[str]:
    """The words of ``command`` after variable assignments, ``sudo``-like prefixes and
    environment runners (``uv run --with twine twine upload`` -> ``twine upload``)."""
    words = shell_words(command)
    changed = True
    while words and changed:
        changed = False
        while words and "=" in words[0] and not words[0].startswith(("-", "/", ".")):
            words, changed = words[1:], True
        if words and words[0] in _PREFIXES:
            words, changed = words[1:], True
        if len(words) > 1 and words[1] in _ENV_RUNNERS.get(words[0], ()):
            rest = words[2:]
            while rest and rest[0].startswith("-"):
                option = rest.pop(0)
                if option in _RUNNER_VALUE_OPTIONS and "=" not in option and rest:
                    rest.pop(0)
            if rest and rest[0] == "--":
                rest = rest[1:]
            words, changed = rest, True
    return words


def _makefile_recipes(root: str, targets: list[str]) -> tuple[str, list[str]] | None:
    """``(Makefile path, recipe lines)`` of ``targets`` and their prerequisites; ``None``
    when there is no Makefile or it lacks a target."""
    real_root = os.path.realpath(root)
    for name in ("GNUmakefile", "makefile", "Makefile"):
        path = os.path.realpath(os.path.join(real_root, name))
        # Only a file of the repository (a link out of it is not read).
        if is_inside(real_root, path) and os.path.isfile(path):
            break
    else:
        return None
    text = _script_text(path)
    if text is None:
        return None
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] | None = None
    for raw in text.split("\n"):
        if raw.startswith("\t") and current is not None:
            recipe = raw.strip().lstrip("@-+").strip()
            if recipe:
                current.append(recipe)
            continue
        match = re.match(r"^([A-Za-z0-9_./%-]+(?:\s+[A-Za-z0-9_./%-]+)*)\s*::?(?!=)(.*)$", raw)
        if match is None or raw.startswith((" ", "\t", "#")):
            current = None if raw.strip() and not raw.startswith("#") else current
            continue
        recipes: list[str] = []
        prereqs = match.group(2).split(";", 1)
        if len(prereqs) > 1 and prereqs[1].strip():
            recipes.append(prereqs[1].strip())
        for target in match.group(1).split():
            rules.setdefault(target, ([], recipes))
            rules[target] = (prereqs[0].split(), recipes)
        current = recipes
    wanted = targets or [next(iter(t for t in rules if not t.startswith(".")), "")]
    found: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(wanted))
    while stack:
        target = stack.pop()
        if target in seen:
            continue
        seen.add(target)
        rule = rules.get(target)
        if rule is None:
            if target in wanted:
                return None
            continue  # a file prerequisite
        stack.extend(reversed(rule[0]))
        found.extend(rule[1])
    return os.path.relpath(path, real_root).replace(os.sep, "/"), found


def _python_text(node: object) -> str | None:
    """The command a Python expression spells, if it is written out (``$X`` for parts
    computed at run time); ``None`` when none of it is."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "$X"
            for v in node.values
        ]
        text = "".join(parts)
        return text if text.replace("$X", "").strip() else None
    if isinstance(node, (ast.List, ast.Tuple)):
        words = [_python_text(element) or "$X" for element in node.elts]
        return " ".join(words) if any(word != "$X" for word in words) else None
    if isinstance(node, ast.Call) and node.args:  # shlex.split("twine upload dist/*")
        return _python_text(node.args[0])
    return None


def python_commands(
    text: str, line: int, script: str, depth: int, sessions: list[str] | None = None
) -> list[Command] | None:
    """The commands a Python script runs (``subprocess.run([...])``, ``os.system("...")``,
    nox's ``session.run("twine", "upload")``), read from its syntax tree; a command computed
    at run time keeps ``$X`` in its place. ``None`` when the file is not Python, or when
    one of the nox ``sessions`` asked for is not in it.

    With ``sessions`` (a noxfile), only those sessions' functions are read.
    """
    import ast

    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    tree: ast.AST = module
    if sessions is not None:
        functions = _nox_sessions(module)
        if not sessions or any(name not in functions for name in sessions):
            return None
        tree = ast.Module(body=[functions[name] for name in sessions], type_ignores=[])
    found: list[Command] = []
    # Calls under an `if` (or a conditional expression) run only when the script decides.
    conditional: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_main_check(node.test):
            continue  # `if __name__ == "__main__":` runs whenever the script does
        if isinstance(node, (ast.If, ast.IfExp, ast.Match)):
            for branch in ast.walk(node):
                conditional.add(id(branch))
    guard_line = min(
        (
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.If)
            and not _is_main_check(node.test)
            and any(_exits(inner) for inner in ast.walk(node))
        ),
        default=None,
    )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if str(name).lower() not in _SUBPROCESS_CALLS:
            continue
        first = node.args[0]
        if isinstance(first, (ast.List, ast.Tuple)) or len(node.args) == 1:
            spelled = _python_text(first)
        else:  # run("twine", "upload", "dist/*")
            spelled = " ".join(_python_text(arg) or "$X" for arg in node.args)
            spelled = spelled if spelled.replace("$X", "").strip() else None
        gated = id(node) in conditional or (guard_line is not None and guard_line < node.lineno)
        found.append(Command(spelled or "$X", line, script, node.lineno, depth, gated))
    return found


def _is_main_check(test: object) -> bool:
    import ast

    return isinstance(test, ast.Compare) and any(
        isinstance(part, ast.Name) and part.id == "__name__"
        for part in (test.left, *test.comparators)
    )


def _exits(node: object) -> bool:
    """A statement that ends the script with a failure (``raise``, ``sys.exit(1)``)."""
    import ast

    if isinstance(node, ast.Raise):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ("exit", "_exit", "abort") and not (
            node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in (0, None)
        )
    return False


def follow(found: list[Command], root: str) -> tuple[list[Command], list[Opaque]]:
    """``found`` and every command of the repository scripts they run, transitively
    (:data:`MAX_SCRIPT_DEPTH` deep), and what could not be followed."""
    result: list[Command] = []
    opaque: list[Opaque] = []
    seen: set[str] = set()
    queue = list(found)
    while queue:
        command = queue.pop(0)
        result.append(command)
        inner, unread = _expand(command, root, seen)
        if unread is not None:
            opaque.append(unread)
        queue[:0] = inner
    return result, opaque


def _expand(command: Command, root: str, seen: set[str]) -> tuple[list[Command], Opaque | None]:
    """The commands ``command`` runs in a repository file, or why it cannot be seen."""
    words = _command_words(command.text)
    if not words:
        return [], None
    if command.text == "$X" or words[0] == "$X":
        where = command.script or "the step"
        return [], Opaque(command, f"a command {where} computes", "computed at run time")
    head = words[0].rsplit("/", 1)[-1]
    if head in ("make", "gmake") or words[0] in ("$(MAKE)", "${MAKE}", "$MAKE"):
        targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if "-C" in words or "-f" in words or "--directory" in words:
            why = "a Makefile the tool does not look for"
            return [], Opaque(command, f"`{command.text}`", why)
        recipes = _makefile_recipes(root, targets)
        if recipes is None:
            return [], Opaque(command, f"`{command.text}`", "its Makefile target was not found")
        path, lines = recipes
        key = f"{path}:{' '.join(targets)}"
        if key in seen or command.depth >= MAX_SCRIPT_DEPTH:
            return [], None
        seen.add(key)
        inner = [
            Command(text, command.line, path, None, command.depth + 1)
            for recipe in lines
            for text in (c.text for c in commands(recipe, 1))
        ]
        return inner, None
    module = _repository_module(words, root)
    if module is not None:
        why = "a Python package of the repository, which the tool does not read through"
        return [], Opaque(command, f"`python -m {module}`", why)
    if head == "tox":
        envs = _tox_envs(words)
        tox_lines = _tox_commands(root, envs) if envs else None
        if tox_lines is not None:
            key = f"tox.ini:{','.join(envs)}"
            if key in seen or command.depth >= MAX_SCRIPT_DEPTH:
                return [], None
            seen.add(key)
            inner = [
                Command(c.text, command.line, "tox.ini", None, command.depth + 1, c.conditional)
                for tox_line in tox_lines
                for c in commands(tox_line, 1)
            ]
            return inner, None
    if head == "nox":
        inner_nox = _noxfile_commands(command, words, root, seen)
        if inner_nox is not None:
            return inner_nox, None
    if head in _TASK_RUNNERS or (head in _JS_RUNNERS and len(words) > 1):
        what = f"`{' '.join(words[:4])}`"
        return [], Opaque(command, what, f"{head} runs tasks the tool does not read")
    script = script_of(shlex.join(words), root)
    if script is None:
        missing = _missing_script(words, root)
        if missing is not None:
            return [], Opaque(command, missing, "it is not in the repository (made at run time?)")
        return [], None
    relpath, text = script
    if relpath in seen:
        return [], None
    if command.depth >= MAX_SCRIPT_DEPTH:
        return [], Opaque(command, relpath, f"it is more than {MAX_SCRIPT_DEPTH} scripts deep")
    seen.add(relpath)
    depth = command.depth + 1
    if relpath.endswith(".py") or (text.startswith("#!") and "python" in text.split("\n", 1)[0]):
        read = python_commands(text, command.line, relpath, depth)
        if read is not None:
            return read, None
    return list(commands(text, command.line, relpath, depth)), None


def _missing_script(words: list[str], root: str) -> str | None:
    """The repository path a command runs when that file does not exist (``./release.sh``)."""
    candidate = words[0]
    if candidate in _SCRIPT_RUNNERS:
        rest = [word for word in words[1:] if not word.startswith("-")]
        if not rest or "-c" in words[1:2] or "-m" in words[1:2]:
            return None
        candidate = rest[0]
    if "$" in candidate or candidate.startswith(("/", "~")):
        return None
    if "/" not in candidate and not candidate.endswith((".sh", ".py", ".bash")):
        return None
    if os.path.exists(os.path.join(root, candidate)):
        return None
    return candidate


def _repository_module(words: list[str], root: str) -> str | None:
    """The module of this repository ``python -m pkg`` runs (a package of several files,
    which the tool does not follow), or ``None``."""
    if len(words) < 3 or not words[0].startswith("python") or words[1] != "-m":
        return None
    module = words[2]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", module):
        return None
    path = os.path.join(root, *module.split("."))
    if os.path.isfile(path + ".py") or os.path.isfile(os.path.join(path, "__main__.py")):
        return module
    return None


def _tox_envs(words: list[str]) -> list[str]:
    """The environments ``tox -e a,b`` (or ``tox run -e a``) names."""
    for index, word in enumerate(words):
        if word in ("-e", "--env") and index + 1 < len(words):
            return [env.strip() for env in words[index + 1].split(",") if env.strip()]
        if word.startswith(("-e", "--env=")) and len(word) > 2:
            value = word.split("=", 1)[1] if "=" in word else word[2:]
            return [env.strip() for env in value.split(",") if env.strip()]
    return []


def _tox_commands(root: str, envs: list[str]) -> list[str] | None:
    """The ``commands`` of ``envs`` in the repository's ``tox.ini``; ``None`` when there is
    no such file or an environment is not in it (or is computed: ``{...}``)."""
    import configparser

    real_root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(real_root, "tox.ini"))
    if not is_inside(real_root, path) or not os.path.isfile(path):
        return None
    text = _script_text(path)
    if text is None:
        return None
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    found: list[str] = []
    for env in envs:
        section = f"testenv:{env}"
        if "{" in env or not parser.has_section(section):
            return None
        text = parser.get(section, "commands", fallback="")
        found.extend(line.strip() for line in text.split("\n") if line.strip())
    return found


def _nox_sessions(module: ast.Module) -> dict[str, ast.FunctionDef]:
    """Session name -> its function, for every ``@nox.session`` function of a noxfile."""
    import ast

    found: dict[str, ast.FunctionDef] = {}
    for node in module.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call is not None else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name != "session":
                continue
            session = node.name
            if call is not None:
                for keyword in call.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        session = str(keyword.value.value)
            found[session] = node
            found.setdefault(node.name, node)
    return found


def _nox_names(words: list[str]) -> list[str]:
    """The sessions ``nox -s a b`` (or ``--session``, ``-s a,b``) names."""
    names: list[str] = []
    taking = False
    for word in words[1:]:
        if word in ("-s", "--session", "--sessions", "-e"):
            taking = True
            continue
        if word.startswith("-"):
            taking = False
            continue
        if taking:
            names.extend(part for part in word.split(",") if part)
    return names


def _noxfile_commands(
    command: Command, words: list[str], root: str, seen: set[str]
) -> list[Command] | None:
    """The commands of the nox sessions ``command`` runs, from the repository's
    ``noxfile.py``; ``None`` when they cannot be read there."""
    names = _nox_names(words)
    real_root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(real_root, "noxfile.py"))
    if not names or not is_inside(real_root, path) or not os.path.isfile(path):
        return None
    key = f"noxfile.py:{','.join(names)}"
    if key in seen or command.depth >= MAX_SCRIPT_DEPTH:
        return []
    text = _script_text(path)
    if text is None:
        return None
    found = python_commands(text, command.line, "noxfile.py", command.depth + 1, names)
    if found is not None:
        seen.add(key)
    return found
