"""What a job does with distributions: builds them, checks them, uploads them, and how.

Every way a GitHub Actions job publishes to an index is an :class:`Upload`: the
``pypa/gh-action-pypi-publish`` action, ``PyO3/maturin-action`` with ``command: upload``,
and the ``uv publish``, ``twine upload``, ``pdm publish``, ``poetry publish``,
``hatch publish``, ``flit publish`` and ``maturin upload|publish`` commands, written in a
``run:`` script or in a repository script the step runs (``run: scripts/publish`` is followed
one level into the repository's own file).

Trusted publishing or token publishing is decided by the credentials actually passed, not
by the tool: a ``password:`` input, ``TWINE_PASSWORD``, ``UV_PUBLISH_TOKEN``,
``POETRY_PYPI_TOKEN_*``, ``PDM_PUBLISH_PASSWORD``, ``FLIT_PASSWORD``, ``MATURIN_PYPI_TOKEN``
(or the matching command-line option) filled from a secret or a literal is a token; one
filled from a step's output was minted during the run (by exchanging the OIDC token).
Without any, the action, ``uv publish``, ``twine upload`` (6.1 and later), ``pdm publish``
and ``maturin upload`` use trusted publishing themselves; ``poetry``, ``hatch`` and ``flit``
cannot, and have nothing to upload with.

The index an upload aims at comes from its URL or repository name (``repository-url``,
``--publish-url``, ``-r testpypi``, ``TWINE_REPOSITORY_URL``, ...): ``pypi``, ``testpypi``,
``other`` (a private index: credential rules do not apply) or ``unknown`` (computed at run
time).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from release_assistant.core.support.textfiles import FileProblem, read_text
from release_assistant.core.workflows.model import PUBLISH_ACTION, Job, Step, Workflow

#: Indexes an upload can aim at.
PYPI = "pypi"
TESTPYPI = "testpypi"
OTHER = "other"
UNKNOWN_INDEX = "unknown"

MATURIN_ACTION = "pyo3/maturin-action"
DOWNLOAD_ARTIFACT = "actions/download-artifact"
HYNEK = "hynek/build-and-inspect-python-package"
CIBUILDWHEEL = "pypa/cibuildwheel"
UPLOAD_ARTIFACT = "actions/upload-artifact"
#: Actions that build distributions (the maturin action also uploads: see ``command``).
BUILD_ACTIONS = (HYNEK, CIBUILDWHEEL, MATURIN_ACTION)
HYNEK_ARTIFACT = "Packages"

#: Actions of other repositories known to upload to the index (release tools).
KNOWN_PUBLISHING_ACTIONS = ("jupyter-server/jupyter_releaser/.github/actions/finalize-release",)
_PUBLISHING_ACTION = re.compile(r"pypi|publish", re.IGNORECASE)
#: Publishing actions for other destinations.
_NOT_PYPI = re.compile(
    r"gh-release|github-release|pages|docker|npm|vsce|marketplace|codecov|coverage|homebrew"
    r"|snap|flatpak|test-result|report|changelog|helm|crates|cargo|nuget|maven|gem|conda"
    r"|semantic-release"
    r"|anaconda|sonar|dependency|sbom|pages|docs",
    re.IGNORECASE,
)

#: Largest repository script followed (a publish script is a few lines).
_MAX_SCRIPT_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class _Tool:
    """How one upload command takes its index, its credentials and its files."""

    name: str
    oidc: bool
    value_options: frozenset[str]
    credential_options: frozenset[str]
    url_options: frozenset[str]
    name_options: frozenset[str]
    credential_env: tuple[str, ...]
    url_env: tuple[str, ...]
    name_env: tuple[str, ...]
    default_files: tuple[str, ...]


def _tool(
    name: str,
    *,
    oidc: bool,
    values: str = "",
    credentials: str = "",
    urls: str = "",
    names: str = "",
    credential_env: tuple[str, ...] = (),
    url_env: tuple[str, ...] = (),
    name_env: tuple[str, ...] = (),
    files: tuple[str, ...] = ("dist",),
) -> _Tool:
    split = frozenset(credentials.split()) | frozenset(urls.split()) | frozenset(names.split())
    return _Tool(
        name,
        oidc,
        frozenset(values.split()) | split,
        frozenset(credentials.split()),
        frozenset(urls.split()),
        frozenset(names.split()),
        credential_env,
        url_env,
        name_env,
        files,
    )


_TOOLS: dict[str, _Tool] = {
    "uv": _tool(
        "uv publish",
        oidc=True,
        values="-u --username --trusted-publishing --keyring-provider --check-url --cache-dir "
        "--directory --project --config-file --python --allow-insecure-host --color",
        credentials="-t --token -p --password",
        urls="--publish-url",
        names="--index",
        credential_env=("UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD"),
        url_env=("UV_PUBLISH_URL",),
        name_env=("UV_PUBLISH_INDEX",),
        files=("dist",),
    ),
    "twine": _tool(
        "twine upload",
        oidc=True,
        values="-u --username -c --comment -i --identity --sign-with --client-cert --cert "
        "--config-file",
        credentials="-p --password",
        urls="--repository-url",
        names="-r --repository",
        credential_env=("TWINE_PASSWORD",),
        url_env=("TWINE_REPOSITORY_URL",),
        name_env=("TWINE_REPOSITORY",),
        files=(),
    ),
    "pdm": _tool(
        "pdm publish",
        oidc=True,
        values="-u --username -i --identity -c --comment --ca-certs -p --project",
        credentials="-P --password",
        names="-r --repository",
        credential_env=("PDM_PUBLISH_PASSWORD",),
        name_env=("PDM_PUBLISH_REPO",),
    ),
    "poetry": _tool(
        "poetry publish",
        oidc=False,
        values="-u --username --cert --client-cert --dist-dir -C --directory -P --project",
        credentials="-p --password",
        names="-r --repository",
        credential_env=("POETRY_PYPI_TOKEN_*", "POETRY_HTTP_BASIC_*_PASSWORD"),
    ),
    "hatch": _tool(
        "hatch publish",
        oidc=False,
        values="-u --user --ca-cert --client-cert --client-key -o --option",
        credentials="-a --auth",
        names="-r --repo",
        credential_env=("HATCH_INDEX_AUTH",),
        name_env=("HATCH_INDEX_REPO",),
    ),
    "flit": _tool(
        "flit publish",
        oidc=False,
        values="--pypirc --format",
        names="--repository",
        credential_env=("FLIT_PASSWORD",),
        url_env=("FLIT_INDEX_URL",),
    ),
    "maturin": _tool(
        "maturin upload",
        oidc=True,
        values="-u --username -m --manifest-path -i --interpreter --target -F --features "
        "--compatibility --profile -o --out",
        credentials="-p --password",
        urls="--repository-url",
        names="-r --repository",
        credential_env=("MATURIN_PYPI_TOKEN", "MATURIN_PASSWORD"),
        url_env=("MATURIN_REPOSITORY_URL",),
        name_env=("MATURIN_REPOSITORY",),
        files=(),
    ),
}
_RELEASE_WORDS = re.compile(r"release|publish|upload|deploy", re.IGNORECASE)
_ALL_CREDENTIAL_ENV = tuple(p for tool in _TOOLS.values() for p in tool.credential_env)
_ALL_URL_ENV = tuple(p for tool in _TOOLS.values() for p in tool.url_env)
_ALL_NAME_ENV = tuple(p for tool in _TOOLS.values() for p in tool.name_env)

#: The upload commands of the tools in ``_TOOLS`` (group name: the tool).
PUBLISH_COMMAND = re.compile(
    r"(?P<twine>\btwine\s+upload)\b|(?P<uv>\buv\s+publish)\b|(?P<pdm>\bpdm\s+publish)\b"
    r"|(?P<poetry>\bpoetry\s+publish)\b|(?P<hatch>\bhatch\s+publish)\b"
    r"|(?P<flit>\bflit\s+publish)\b|(?P<maturin>\bmaturin\s+(?:upload|publish))\b"
)
_BUILD_COMMAND = re.compile(
    r"(?:^|\s)-m\s+build\b|\bpyproject-build\b|\buv\s+build\b"
    r"|\bhatch\s+build\b|\bpoetry\s+build\b|\bpdm\s+build\b|\bflit\s+build\b"
    r"|\bpipx\s+run\s+build\b|\buvx\s+(?:--from\s+\S+\s+)?(?:pyproject-)?build\b"
    r"|\bsetup\.py\s+(?:-q\s+)?(?:sdist|bdist_wheel)\b"
    r"|\bmaturin\s+(?:build|sdist)\b|\bcibuildwheel\b"
)
#: What inspects without building (``cibuildwheel --print-build-identifiers`` lists a matrix).
_NOT_A_BUILD = re.compile(r"--print-build-identifiers\b")
_VALIDATE_COMMAND = re.compile(
    r"\bpytest\b|\btox\b|\bnox\b|-m\s+unittest\b|\bhatch\s+test\b|\bmake\s+(?:test|check)\b"
    r"|\btwine\s+check\b|\bcheck-wheel-contents\b|\bvalidate-pyproject\b"
    r"|\brelease-assistant\s+(?:check|report)\b|\bpre-commit\s+run\b|\bcheck-manifest\b|\.ci/run\b"
    r"|\bpyroma\b|\babi3audit\b|\bcargo\s+(?:test|nextest)\b"
)
_VALIDATE_ACTIONS = (HYNEK, "re-actors/alls-green")
#: ``uv publish --dry-run``, ``poetry publish --dry-run``: rehearsals, not uploads.
_DRY_RUN = re.compile(r"\s--dry-run\b")
_SPLIT_COMMANDS = re.compile(r"\s*(?:&&|\|\||;|\|)\s*")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_SCRIPT_RUNNERS = frozenset(
    {"bash", "sh", "zsh", "dash", "python", "python3", "source", ".", "exec", "sudo"}
)
_ECHOES = frozenset({"echo", "printf", "cat", "grep", "test", "["})
_STEP_OUTPUT = re.compile(r"\b(?:steps|needs)\.", re.IGNORECASE)
#: A secret reference, ``secrets.NAME`` or the index form ``secrets['NAME']``; the name is
#: group 1 (GitHub compares secret names ignoring case).
_SECRET = re.compile(r"\bsecrets\s*(?:\.\s*|\[\s*['\"])([A-Za-z0-9_-]+)", re.IGNORECASE)
_INPUT = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}", re.IGNORECASE)
_SHELL_VARIABLE = re.compile(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")


@dataclass(frozen=True, slots=True)
class Command:
    """One simple shell command of a ``run:`` script (or of a repository script it runs)."""

    text: str
    line: int
    #: The repository script it was read from (``None``: the workflow's own ``run:``).
    script: str | None = None
    script_line: int | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential passed to an upload: where, and where its value comes from.

    ``source``: ``secret`` (a repository secret), ``literal`` (written in the file),
    ``expression`` (another ``${{ }}`` value), ``minted`` (a step output: exchanged during
    the run) or ``github-token`` (the job's own token, for GitHub's package registry).
    """

    name: str
    line: int
    source: str
    text: str

    @property
    def is_token(self) -> bool:
        """True for a stored credential (a long-lived token), not one minted by the run."""
        return self.source in ("secret", "literal", "expression")


@dataclass(slots=True)
class Upload:
    """One upload of distributions to an index."""

    job: Job
    step: Step
    tool: str
    oidc: bool
    line: int
    index: str
    index_text: str | None
    index_line: int
    credentials: tuple[Credential, ...] = ()
    files: tuple[str, ...] = ()
    builds: bool = False
    script: str | None = None
    #: Order within the job: ``1000 * step index`` (+ the step's place inside a composite
    #: action the step runs), so downloads and uploads compare even inside one step.
    position: int = 0
    #: Found only by the credential a step is given (``TWINE_PASSWORD`` for ``tox -e
    #: release``): the tool that uploads, and what it uploads, are not visible here.
    opaque: bool = False

    @property
    def token(self) -> Credential | None:
        """The stored credential passed to the upload, if any."""
        return next((c for c in self.credentials if c.is_token), None)

    @property
    def minted(self) -> bool:
        """True when a credential minted during the run is passed."""
        return any(c.source == "minted" for c in self.credentials)

    @property
    def at_index(self) -> bool:
        """True when it aims (or may aim) at PyPI or TestPyPI, not at a private index."""
        return self.index != OTHER

    @property
    def label(self) -> str:
        """How messages name the upload (`` `uv publish` `` or the action)."""
        where = f" (in {self.script})" if self.script else ""
        if self.tool == PUBLISH_ACTION:
            return PUBLISH_ACTION + where
        return f"`{self.tool}`{where}"


@dataclass(slots=True)
class JobScan:
    """What one job does with distributions."""

    job: Job
    uploads: list[Upload] = field(default_factory=list)
    #: Steps that build distributions, with the command (or action) that does.
    builds: list[tuple[Step, str]] = field(default_factory=list)
    #: Steps that test or check the project (or its distributions).
    validations: list[Step] = field(default_factory=list)
    #: ``(artifact name, line, path)`` of every upload of distributions as an artifact.
    artifacts: list[tuple[str, int, str]] = field(default_factory=list)
    #: ``(position, step)`` of every artifact download (see :attr:`Upload.position`).
    downloads: list[tuple[int, Step]] = field(default_factory=list)
    #: ``(step, action file, why)`` of every composite action of this repository a step
    #: runs that could not be read: what it does (an upload too) is unknown.
    unreadable_actions: list[tuple[Step, str, str]] = field(default_factory=list)

    def downloads_before(self, position: int) -> list[Step]:
        """The download steps that run before ``position``."""
        return [step for at, step in self.downloads if at < position]

    def built_before(self, step: Step) -> bool:
        """True when a step of this job builds before ``step``."""
        return any(build.index < step.index for build, _ in self.builds)

    def validated_before(self, step: Step) -> bool:
        """True when a step of this job tests or checks before ``step``."""
        return any(check.index < step.index for check in self.validations)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lookup(env: Mapping[Any, Any], pattern: str) -> Iterator[tuple[str, str]]:
    """``(name, value)`` of each variable in ``env`` matching ``pattern`` (``*`` wildcard)."""
    regex = re.compile("^" + ".*".join(map(re.escape, pattern.split("*"))) + "$", re.IGNORECASE)
    for key, value in env.items():
        text = _text(value)
        if isinstance(key, str) and regex.match(key) and text is not None:
            yield key, text


def source_of(value: str, env: Mapping[Any, Any] | None = None) -> str | None:
    """Where a credential's value comes from (see :class:`Credential`); ``None``: empty."""
    text = value.strip().strip("\"'")
    if not text:
        return None
    secret = _SECRET.search(text)
    if secret is not None:
        return "github-token" if secret.group(1).lower() == "github_token" else "secret"
    if "${{" in text:
        if re.search(r"\bgithub\.token\b", text):
            return "github-token"
        return "minted" if _STEP_OUTPUT.search(text) else "expression"
    variable = _SHELL_VARIABLE.match(text)
    if variable is not None:
        if env is not None:
            for _, found in _lookup(env, variable.group(1)):
                return source_of(found)
        return "minted"  # set by the script itself
    return "literal"


def index_of_url(url: str) -> str:
    """``pypi``, ``testpypi``, ``other`` or ``unknown`` for an upload URL."""
    from release_assistant.core.urls import is_production_index_url, is_test_index_url, url_host

    text = url.strip().strip("\"'")
    host = url_host(text)
    if not host or "${{" in host or "$" in host:
        return UNKNOWN_INDEX
    if is_test_index_url(text):
        return TESTPYPI
    if is_production_index_url(text):
        return PYPI
    return OTHER


def index_of_name(name: str) -> str:
    """The index a repository name (``-r testpypi``) or URL stands for."""
    text = name.strip().strip("\"'")
    if "://" in text:
        return index_of_url(text)
    if "${{" in text or text.startswith("$"):
        return UNKNOWN_INDEX
    from release_assistant.core.urls import PYPI_HOST, TESTPYPI_HOST

    lowered = text.lower()
    if lowered in ("pypi", "main", PYPI_HOST, "default"):
        return PYPI
    if lowered in ("testpypi", "test", "test-pypi", "test_pypi", "pypitest", TESTPYPI_HOST):
        return TESTPYPI
    return OTHER


# ---------------------------------------------------------------------------------------------
# Commands


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


def commands(text: str, line: int, script: str | None = None) -> Iterator[Command]:
    """Every simple command of a shell script starting at ``line`` (comments skipped)."""
    for offset, logical in _logical_lines(text):
        stripped = _COMMENT.sub("", logical).strip()
        if not stripped:
            continue
        for segment in _SPLIT_COMMANDS.split(stripped):
            segment = segment.strip()
            if not segment or segment.split(None, 1)[0] in _ECHOES:
                continue
            if script is None:
                yield Command(segment, line + offset)
            else:
                yield Command(segment, line, script, offset + 1)


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def _words(text: str) -> list[str]:
    import shlex

    # `${{ steps.x.outputs.y }}` is one word to the shell once GitHub has filled it in.
    text = _EXPRESSION.sub(lambda m: "${{" + m.group(1).replace(" ", "") + "}}", text)
    try:
        return shlex.split(text, comments=False)
    except ValueError:  # an unbalanced quote: good enough for option names
        return text.split()


class _UnreadableAction(Exception):
    """A composite action's file that cannot be read; ``args``: its path and why."""

    def __init__(self, relpath: str, reason: str) -> None:
        super().__init__(relpath, reason)
        self.relpath = relpath
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Composite:
    """A composite action of this repository a step runs: its file, steps and inputs."""

    relpath: str
    steps: tuple[Step, ...]
    #: Input name (lower case) -> the value the step passes, or the action's default.
    inputs: Mapping[str, str]


class _Scanner:
    """Reads one job's steps (and the repository scripts and composite actions they run)."""

    def __init__(
        self,
        workflow: Workflow,
        job: Job,
        root: str,
        outer: Step | None = None,
        inputs: Mapping[str, str] | None = None,
    ) -> None:
        self.workflow = workflow
        self.job = job
        self.root = root
        #: The workflow step running the composite action whose steps this scanner reads.
        self.outer = outer
        self.inputs = inputs or {}

    def position(self, step: Step) -> int:
        """Where ``step`` runs in the job (see :attr:`Upload.position`)."""
        if self.outer is not None:
            return self.outer.index * 1000 + step.index + 1
        return step.index * 1000

    def resolve(self, text: str) -> str:
        """``text`` with a composite action's ``${{ inputs.x }}`` filled in as called."""
        if not self.inputs or "inputs." not in text:
            return text

        def value(match: re.Match[str]) -> str:
            return self.inputs.get(match.group(1).lower(), "")

        return _INPUT.sub(value, text)

    def composite(self, step: Step) -> _Composite | None:
        """The composite action of this repository ``step`` runs (``uses: ./path``).

        Raises :class:`_UnreadableAction` when its file cannot be read or parsed.
        """
        from release_assistant.core.workflows.model import parse_steps, parse_yaml
        from release_assistant.core.workflows.yaml_nodes import WorkflowError, YamlMap

        uses = (step.uses or "").strip()
        if self.outer is not None or not uses.startswith(("./", "$/")):
            return None
        target = uses[2:].split("@", 1)[0].rstrip("/")
        if target.startswith(".github/workflows/"):
            return None
        root = os.path.realpath(self.root)
        for name in ("action.yml", "action.yaml"):
            path = os.path.realpath(os.path.join(root, target, name))
            if path.startswith(root + os.sep) and os.path.isfile(path):
                break
        else:
            return None
        relpath = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            data = parse_yaml(read_text(path), relpath).data
        except (FileProblem, WorkflowError) as problem:
            raise _UnreadableAction(relpath, str(problem)) from None
        runs = data.get("runs") if isinstance(data, YamlMap) else None
        if not isinstance(runs, YamlMap) or _text(runs.get("using")) != "composite":
            return None
        inputs: dict[str, str] = {}
        declared = data.get("inputs")
        if isinstance(declared, YamlMap):
            for key, spec in declared.items():
                default = _text(spec.get("default")) if isinstance(spec, YamlMap) else None
                given, _ = step.input(str(key))
                inputs[str(key).lower()] = given if given is not None else (default or "")
        return _Composite(relpath, parse_steps(runs, []), inputs)

    def step_commands(self, step: Step) -> list[Command]:
        if step.run is None:
            return []
        found = list(commands(self.resolve(step.run), step.run_line))
        for command in list(found):
            script = self.script_of(command.text)
            if script is None:
                continue
            relpath, text = script
            found.extend(commands(text, command.line, relpath))
        return found

    def script_of(self, command: str) -> tuple[str, str] | None:
        """The repository script a command runs, as ``(relative path, text)``."""
        words = _words(command)
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
        root = os.path.realpath(self.root)
        path = os.path.realpath(os.path.join(root, candidate))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            return None
        try:
            if os.path.getsize(path) > _MAX_SCRIPT_BYTES:
                return None
            text = read_text(path)
        except (OSError, FileProblem):
            return None
        return os.path.relpath(path, root).replace(os.sep, "/"), text

    def env(self, step: Step) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        levels = [self.workflow.env, self.job.env]
        if self.outer is not None:
            levels.append(self.outer.env)
        for level in (*levels, step.env):
            merged.update(level)
        if self.inputs:
            merged = {k: self.resolve(v) if isinstance(v, str) else v for k, v in merged.items()}
        return merged

    def env_line(self, step: Step, name: str) -> int:
        if self.outer is not None:
            return self.outer.line
        for level in (step.env, self.job.env, self.workflow.env):
            for key in level:
                if isinstance(key, str) and key.lower() == name.lower():
                    return level.value_line(key)
        return step.line

    def scan(self) -> JobScan:
        result = JobScan(self.job)
        for step in self.job.steps:
            self.scan_step(step, result)
        return result

    def scan_composite(self, step: Step, action: _Composite, result: JobScan) -> None:
        """What the composite action's steps do, as done by ``step`` (its calling step)."""
        inner = _Scanner(self.workflow, self.job, self.root, step, action.inputs)
        found = JobScan(self.job)
        for inner_step in action.steps:
            inner.scan_step(inner_step, found)
        where = f" (in {action.relpath})"
        for upload in found.uploads:
            upload.step = step
            upload.line = upload.index_line = step.line
            upload.script = upload.script or action.relpath
            upload.credentials = tuple(
                Credential(c.name, step.line, c.source, c.text) for c in upload.credentials
            )
            result.uploads.append(upload)
        for _, how in found.builds[:1]:
            result.builds.append((step, how + where))
        if found.validations:
            result.validations.append(step)
        result.artifacts.extend((name, step.line, path) for name, _, path in found.artifacts)
        result.downloads.extend(
            (at, replace(download, line=step.line)) for at, download in found.downloads
        )

    def scan_step(self, step: Step, result: JobScan) -> None:
        try:
            action = self.composite(step)
        except _UnreadableAction as unreadable:
            result.unreadable_actions.append((step, unreadable.relpath, unreadable.reason))
            return
        if action is not None:
            self.scan_composite(step, action, result)
            return
        if step.uses_action(DOWNLOAD_ARTIFACT):
            result.downloads.append((self.position(step), step))
        if step.uses_action(PUBLISH_ACTION):
            result.uploads.append(self.action_upload(step))
        elif step.uses_action(MATURIN_ACTION):
            given, _ = step.input("command")
            verb = (given or "build").strip().lower()
            if verb in ("upload", "publish"):
                args, _ = step.input("args")
                line = step.inputs.value_line(step.input_key("command"))
                text = f"maturin {verb} {args or ''}"
                result.uploads.append(self.command_upload(step, "maturin", text, line, None))
                if verb == "publish":
                    result.builds.append((step, f"{step.uses} (command: publish)"))
            else:
                result.builds.append((step, str(step.uses)))
        elif any(step.uses_action(action) for action in BUILD_ACTIONS):
            result.builds.append((step, str(step.uses)))
        else:
            third_party = self.third_party_upload(step)
            if third_party is not None:
                result.uploads.append(third_party)
        if any(step.uses_action(action) for action in _VALIDATE_ACTIONS):
            result.validations.append(step)
        if step.uses_action(HYNEK):
            suffix, _ = step.input("upload-name-suffix")
            result.artifacts.append((HYNEK_ARTIFACT + (suffix or ""), step.line, "dist"))
        elif step.uses_action(UPLOAD_ARTIFACT):
            path, _ = step.input("path")
            if path is not None and _holds_distributions(path):
                name, line = step.input("name")
                result.artifacts.append((name or "artifact", line, path))
        built = validated = False
        before = len(result.uploads)
        found_commands = self.step_commands(step)
        for command in found_commands:
            match = PUBLISH_COMMAND.search(command.text)
            if match is not None and not _DRY_RUN.search(command.text):
                tool = match.lastgroup or ""
                result.uploads.append(
                    self.command_upload(
                        step, tool, command.text[match.start() :], command.line, command.script
                    )
                )
            if (
                not built
                and _BUILD_COMMAND.search(command.text)
                and not _NOT_A_BUILD.search(command.text)
            ):
                built = True
                where = f" (in {command.script})" if command.script else ""
                found = _BUILD_COMMAND.search(command.text)
                result.builds.append((step, f"{found.group(0) if found else ''}{where}"))
            if not validated and _VALIDATE_COMMAND.search(command.text):
                validated = True
                result.validations.append(step)
        if len(result.uploads) == before and found_commands:
            opaque = self.opaque_upload(step, found_commands[-1])
            if opaque is not None:
                result.uploads.append(opaque)

    def third_party_upload(self, step: Step) -> Upload | None:
        """An upload by another repository's action (a release tool that publishes).

        Its inside is not read; it counts as an upload when its name says it publishes (or
        it is a release tool known to) and the job can mint an OIDC token or hands the
        action an index credential.
        """
        action = step.action or ""
        if not action or action.startswith(("./", "$/", "docker://", "actions/")):
            return None
        known = any(action.startswith(name) for name in KNOWN_PUBLISHING_ACTIONS)
        if not known and not (_PUBLISHING_ACTION.search(action) and not _NOT_PYPI.search(action)):
            return None
        credentials = []
        for key in step.inputs:
            name = str(key).lower()
            if "password" in name or "pypi" in name or name in ("api-token", "api_token"):
                value = self.resolve(_text(step.inputs[key]) or "")
                source = source_of(value)
                if source is not None:
                    line = step.inputs.line_of(key)
                    credentials.append(Credential(str(key), line, source, value))
        grants = self.job.permissions or self.workflow.permissions
        if not any(c.is_token for c in credentials) and not (
            grants is not None and grants.grants("id-token")
        ):
            return None
        url, url_line = step.input("repository-url", "repository_url", "repository")
        return Upload(
            job=self.job,
            step=step,
            tool=action,
            oidc=True,
            line=step.line,
            index=index_of_name(url) if url else UNKNOWN_INDEX,
            index_text=url,
            index_line=url_line,
            credentials=tuple(credentials),
            position=self.position(step),
            opaque=True,
        )

    def opaque_upload(self, step: Step, command: Command) -> Upload | None:
        """An upload seen only through the index credential the step is given.

        ``run: tox -e release`` with ``TWINE_PASSWORD`` from a secret in the step's ``env``
        uploads with that token, whatever tox then runs.
        """
        credentials: list[Credential] = []
        # The step's own env; the job's and workflow's when the command names a release.
        levels = [step.env]
        if _RELEASE_WORDS.search(command.text):
            levels += [self.job.env, self.workflow.env]
        for level in levels:
            for pattern in _ALL_CREDENTIAL_ENV:
                for name, value in _lookup(level, pattern):
                    source = source_of(value)
                    if source in ("secret", "literal"):
                        line = level.value_line(name)
                        credentials.append(Credential(name, line, source, value))
            if credentials:
                break
        if not credentials:
            return None
        env = self.env(step)
        index, index_text, index_line = UNKNOWN_INDEX, None, step.line
        for names, reader in ((_ALL_URL_ENV, index_of_url), (_ALL_NAME_ENV, index_of_name)):
            for pattern in names:
                for name, value in _lookup(env, pattern):
                    index, index_text = reader(value), value
                    index_line = self.env_line(step, name)
        return Upload(
            job=self.job,
            step=step,
            tool=" ".join(command.text.split()[:4]),
            oidc=False,
            line=command.line,
            index=index,
            index_text=index_text,
            index_line=index_line,
            credentials=tuple(credentials),
            script=command.script,
            position=self.position(step),
            opaque=True,
        )

    def action_upload(self, step: Step) -> Upload:
        url, url_line = step.input("repository-url", "repository_url")
        url = self.resolve(url) if url else url
        index = index_of_url(url) if url else PYPI
        credentials: list[Credential] = []
        key = step.input_key("password")
        if key is not None:
            value = self.resolve(_text(step.inputs[key]) or "")
            source = source_of(value)
            if source is not None:
                credentials.append(
                    Credential(str(key), step.inputs.line_of(key), source, value.strip())
                )
        # GitHub hands inputs to the action as INPUT_<NAME> variables: one set in `env:`
        # (the step's, the job's or the workflow's) is the password input by another name.
        for name, value in _lookup(self.env(step), "INPUT_PASSWORD"):
            source = source_of(value)
            if source is not None and not credentials:
                credentials.append(
                    Credential(name, self.env_line(step, name), source, value.strip())
                )
        packages, _ = step.input("packages-dir", "packages_dir")
        packages = self.resolve(packages) if packages else packages
        return Upload(
            job=self.job,
            step=step,
            tool=PUBLISH_ACTION,
            oidc=True,
            line=step.line,
            index=index,
            index_text=url,
            index_line=url_line,
            credentials=tuple(credentials),
            files=(packages or "dist",),
            position=self.position(step),
        )

    def command_upload(
        self, step: Step, key: str, text: str, line: int, script: str | None
    ) -> Upload:
        tool = _TOOLS[key]
        words = _words(text)[2:]  # after `uv publish`, `twine upload`, ...
        verb = text.split()[1] if len(text.split()) > 1 else ""
        env = self.env(step)
        credentials: list[Credential] = []
        index: str | None = None
        index_text: str | None = None
        index_line = line
        positional: list[str] = []
        dist_dir: str | None = None
        flags: set[str] = set()
        position = 0
        while position < len(words):
            word = words[position]
            position += 1
            if not word.startswith("-") or word == "-":
                positional.append(word)
                continue
            option, has_value, value = word.partition("=")
            if option not in tool.value_options:
                flags.add(option)
                continue
            if not has_value:
                if position >= len(words):
                    break
                value = words[position]
                position += 1
            if option == "--dist-dir":
                dist_dir = value
            elif option in tool.credential_options:
                source = source_of(value, env)
                if source is not None:
                    credentials.append(Credential(option, line, source, value))
            elif option in tool.url_options:
                index, index_text = index_of_url(value), value
            elif option in tool.name_options:
                index, index_text = index_of_name(value), value
        for pattern in tool.credential_env:
            for name, value in _lookup(env, pattern):
                source = source_of(value)
                if source is not None:
                    credentials.append(Credential(name, self.env_line(step, name), source, value))
        if index is None:
            for names, reader in ((tool.url_env, index_of_url), (tool.name_env, index_of_name)):
                for pattern in names:
                    for name, value in _lookup(env, pattern):
                        index, index_text = reader(value), value
                        index_line = self.env_line(step, name)
        builds = (
            (key == "flit")
            or (key == "maturin" and verb == "publish")
            or (key == "pdm" and "--no-build" not in flags)
            or (key == "poetry" and "--build" in flags)
        )
        files: tuple[str, ...]
        if key in ("poetry", "pdm", "flit"):
            files = (dist_dir or "dist",)  # they take no file arguments
        else:
            files = tuple(positional) or tool.default_files
        return Upload(
            job=self.job,
            step=step,
            tool=tool.name if key != "maturin" else f"maturin {verb}",
            oidc=tool.oidc,
            line=line,
            index=index or PYPI,
            index_text=index_text,
            index_line=index_line,
            credentials=tuple(credentials),
            files=files,
            builds=builds,
            script=script,
            position=self.position(step),
        )


def _holds_distributions(path: str) -> bool:
    lowered = path.lower()
    return any(part in lowered for part in ("dist", "wheelhouse", ".whl", ".tar.gz", "wheels"))


def scan_job(workflow: Workflow, job: Job, root: str) -> JobScan:
    """Builds, checks and uploads of ``job`` (following the repository scripts it runs)."""
    return _Scanner(workflow, job, root).scan()


def scan_workflow(workflow: Workflow, root: str) -> dict[str, JobScan]:
    """:func:`scan_job` for every job of ``workflow``."""
    return {job_id: scan_job(workflow, job, root) for job_id, job in workflow.jobs.items()}


#: Cheap pre-filter on a workflow's text: words without which it cannot publish (an upload
#: command, a reusable workflow of this repository, or a repository script it could run).
MIGHT_PUBLISH = re.compile(
    r"gh-action-pypi-publish|publish|upload|twine|maturin|release|deploy"
    r"|\buses:\s*['\"]?[.$]/|(?:^|[\s'\"])(?:\./|(?:scripts?|bin|tools?|ci|\.ci|\.github)/)\S",
    re.IGNORECASE | re.MULTILINE,
)


_CREDENTIAL_SETUP = re.compile(
    r"mint-token|oidc|github_env|\.pypirc|poetry\s+config\s+(?:pypi-token|http-basic)"
    r"|keyring\s+set|hatch\s+config\s+set\s+publish",
    re.IGNORECASE,
)


#: Steps that store an index credential where an upload tool reads it (the tools' own
#: configuration, ``.pypirc``, the keyring, or a credential variable exported to later steps).
STORES_CREDENTIAL = re.compile(
    r"\.pypirc|poetry\s+config\s+(?:pypi-token|http-basic)|keyring\s+set"
    r"|hatch\s+config\s+set\s+publish"
    r"|(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|PDM_PUBLISH_PASSWORD|FLIT_PASSWORD|MATURIN_PYPI_TOKEN|HATCH_INDEX_AUTH)=",
    re.IGNORECASE,
)


def sets_up_credentials(step: Step) -> bool:
    """Could this step leave an index credential for later steps?

    It mints one (an OIDC exchange, a token action), exports one (``$GITHUB_ENV``) or stores
    one in a tool's configuration (``poetry config pypi-token``, ``.pypirc``, keyring).
    """
    if _CREDENTIAL_SETUP.search(step.run or ""):
        return True
    action = step.action or ""
    return bool(action) and ("token" in action or "oidc" in action or "mint" in action)


__all__ = [
    "OTHER",
    "PYPI",
    "TESTPYPI",
    "UNKNOWN_INDEX",
    "Command",
    "Credential",
    "JobScan",
    "Upload",
    "commands",
    "index_of_name",
    "index_of_url",
    "scan_job",
    "scan_workflow",
    "source_of",
]
