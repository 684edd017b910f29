"""The :class:`Upload` each kind of publishing step makes, read in its job's context.

The publish action (its inputs), an upload command (its options and the environment it
runs in), another repository's action that publishes, and a step seen only through the
index credential it is given. :class:`UploadReader` holds the job's context (its env, a
composite action's inputs, where a step runs); the scanner walks the steps over it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.uploads.credentials import Credential, source_of
from release_assistant.core.workflows.uploads.shell import Command, shell_words
from release_assistant.core.workflows.uploads.tools import (
    ALL_CREDENTIAL_ENV,
    ALL_NAME_ENV,
    ALL_URL_ENV,
    KNOWN_PUBLISHING_ACTIONS,
    OTHER,
    PUBLISHING_ACTIONS,
    PYPI,
    TOOLS,
    UNKNOWN_INDEX,
    PublishingAction,
    env_matching,
    index_of_name,
    index_of_url,
    scalar_text,
)
from release_assistant.core.workflows.workflow import PUBLISH_ACTION, Job, Step, Workflow

_PUBLISHING_ACTION = LazyPattern(r"pypi|publish", re.IGNORECASE)
#: Publishing actions for other destinations.
_NOT_PYPI = re.compile(
    r"gh-release|github-release|pages|docker|npm|vsce|marketplace|codecov|coverage|homebrew"
    r"|snap|flatpak|test-result|report|changelog|helm|crates|cargo|nuget|maven|gem|conda"
    r"|semantic-release"
    r"|anaconda|sonar|dependency|sbom|pages|docs",
    re.IGNORECASE,
)
#: Actions that do something else than uploading to an index (announce, tag, draft, sign,
#: install a tool, cache, report), so a job running them is not taken to publish.
NOT_AN_UPLOAD = LazyPattern(
    _NOT_PYPI.pattern
    + r"|release-drafter|release-action|upload-release|create-release|pull-request|slack"
    + r"|notify|discord|tweet|toot|mastodon|auto-commit|label|stale|setup-|install-|toolchain"
    + r"|cache|checkout|attest|sigstore|sign|login|credentials|auth|artifact|alls-green"
    + r"|free-disk|swap|tmate|dispatch|comment|git-|gpg|release-please|audit|changed-files"
    + r"|commit|automatic-release|release-notes|tag-action|milestone|assign|greet|welcome",
    re.IGNORECASE,
)
_RELEASE_WORDS = re.compile(r"release|publish|upload|deploy", re.IGNORECASE)
#: Words that say a job or step is about releasing to an index.
PUBLISH_WORDS = re.compile(r"release|publish|upload|deploy|pypi", re.IGNORECASE)
_INPUT = LazyPattern(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}", re.IGNORECASE)
_INPUT_IN_EXPRESSION = LazyPattern(r"\binputs\.([A-Za-z0-9_-]+)", re.IGNORECASE)
_WRAPPED = LazyPattern(r"^\s*\$\{\{(?P<body>.*)\}\}\s*$", re.DOTALL)
#: A gate no input shows: the action uploads only when it finds a new version.
DECIDED_INSIDE = "<decided by the action>"


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
    #: Conditions besides the step's ``if:`` that must hold for the upload to run, as
    #: GitHub evaluates them: an action's input that gates it (``upload: ${{ ... }}``),
    #: the ``if:`` of the step inside a composite action (its inputs filled in), or
    #: :data:`DECIDED_INSIDE` for an action that decides for itself.
    gates: tuple[str, ...] = ()
    #: Not seen as an upload at all but inferred: another repository's action named for
    #: publishing, or a step the tool cannot read in a job that holds ``id-token: write``
    #: and names the index. Whether and when it uploads is not checked.
    inferred: bool = False
    #: What could not be read, for an inferred upload (``the action owner/name``).
    unread: str | None = None

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


class UploadReader:
    """Reads the uploads of one job's steps, with the job's env and a composite's inputs."""

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

    def resolve_condition(self, condition: str) -> str:
        """An ``if:`` inside a composite action with its ``inputs.x`` filled in as called:
        an expression given as the input's value stays an expression, text becomes a
        string literal."""
        if not self.inputs:
            return condition

        def value(match: re.Match[str]) -> str:
            given = self.inputs.get(match.group(1).lower(), "")
            wrapped = _WRAPPED.match(given)
            if wrapped is not None:
                return f"({wrapped.group('body').strip()})"
            if "${{" in given:
                return match.group(0)  # text around an expression: leave it unknown
            return "'" + given.replace("'", "''") + "'"

        wrapped = _WRAPPED.match(condition)
        body = wrapped.group("body") if wrapped is not None else condition
        return _INPUT_IN_EXPRESSION.sub(value, body)

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

    def third_party_upload(self, step: Step) -> Upload | None:
        """An upload by another repository's action (a release tool that publishes).

        Its inside is not read; it counts as an upload when its name says it publishes (or
        it is a release tool known to) and the job can mint an OIDC token or hands the
        action an index credential.
        """
        action = step.action or ""
        if not action or action.startswith(("./", "$/", "docker://", "actions/")):
            return None
        spec = next(
            (spec for name, spec in PUBLISHING_ACTIONS.items() if step.uses_action(name)), None
        )
        if spec is not None:
            return self.known_action_upload(step, spec)
        known = any(action.startswith(name) for name in KNOWN_PUBLISHING_ACTIONS)
        if not known and not (_PUBLISHING_ACTION.search(action) and not _NOT_PYPI.search(action)):
            return None
        credentials = []
        for key in step.inputs:
            name = str(key).lower()
            if "password" in name or "pypi" in name or name in ("api-token", "api_token"):
                value = self.resolve(scalar_text(step.inputs[key]) or "")
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
            inferred=True,
            unread=f"the action {action}",
        )

    def known_action_upload(self, step: Step, spec: PublishingAction) -> Upload:
        """An upload by a publishing action the tool knows (:data:`PUBLISHING_ACTIONS`):
        its credential, index, files and gates read from its inputs."""
        credentials: list[Credential] = []
        for name in spec.credentials:
            key = step.input_key(name)
            if key is None:
                continue
            value = self.resolve(scalar_text(step.inputs[key]) or "")
            source = source_of(value)
            if source is not None:
                credentials.append(Credential(str(key), step.inputs.line_of(key), source, value))
        index: str = PYPI
        index_text: str | None = None
        index_line = step.line
        for names, reader in ((spec.urls, index_of_url), (spec.names, index_of_name)):
            url, line = step.input(*names) if names else (None, step.line)
            if url and url.strip():
                index, index_text, index_line = reader(self.resolve(url)), url, line
                break
        gates: list[str] = []
        for name in spec.gates:
            gate, _ = step.input(name)
            if gate is not None:
                gates.append(self.resolve(gate))
        for name in spec.dry_runs:
            dry, _ = step.input(name)
            if dry is not None:
                wrapped = _WRAPPED.match(dry)
                body = wrapped.group("body") if wrapped is not None else f"'{dry}'"
                gates.append(f"!({body})")
        if spec.decides_itself:
            gates.append(DECIDED_INSIDE)
        files, _ = step.input(spec.files) if spec.files else (None, step.line)
        if spec.builds is True:
            builds = True
        else:
            builds = False
            for name in spec.builds or ():
                build, _ = step.input(name)
                if build is not None and build.strip().lower() not in ("", "false"):
                    builds = True
        return Upload(
            job=self.job,
            step=step,
            tool=spec.name,
            oidc=spec.oidc,
            line=step.line,
            index=index,
            index_text=index_text,
            index_line=index_line,
            credentials=tuple(credentials),
            files=(self.resolve(files) if files else "dist",),
            builds=builds,
            position=self.position(step),
            gates=tuple(gates),
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
            for pattern in ALL_CREDENTIAL_ENV:
                for name, value in env_matching(level, pattern):
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
        for names, reader in ((ALL_URL_ENV, index_of_url), (ALL_NAME_ENV, index_of_name)):
            for pattern in names:
                for name, value in env_matching(env, pattern):
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
            value = self.resolve(scalar_text(step.inputs[key]) or "")
            source = source_of(value)
            if source is not None:
                credentials.append(
                    Credential(str(key), step.inputs.line_of(key), source, value.strip())
                )
        # GitHub hands inputs to the action as INPUT_<NAME> variables: one set in `env:`
        # (the step's, the job's or the workflow's) is the password input by another name.
        for name, value in env_matching(self.env(step), "INPUT_PASSWORD"):
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
        tool = TOOLS[key]
        words = shell_words(text)[2:]  # after `uv publish`, `twine upload`, ...
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
            for name, value in env_matching(env, pattern):
                source = source_of(value)
                if source is not None:
                    credentials.append(Credential(name, self.env_line(step, name), source, value))
        if index is None:
            for names, reader in ((tool.url_env, index_of_url), (tool.name_env, index_of_name)):
                for pattern in names:
                    for name, value in env_matching(env, pattern):
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
