"""Token publishing against trusted publishing: RA626, RA637, RA638, RA639.

Every credential form an upload can take is token publishing (RA626): a ``password:``
input, an index token variable, a command option, or a secret an earlier step stores
(``poetry config pypi-token``). A stored token in a job no trigger runs is a leftover to
delete (RA637); an index secret handed to a step that does not upload with it can be read
by everything that step runs (RA639); an upload tool that cannot use trusted publishing
itself and gets no credential fails (RA638; RA646 instead when a step before it, which
the tool cannot read, may store one). A token a ``run:`` script exports
(``export UV_PUBLISH_TOKEN=...``, a line written to ``$GITHUB_ENV``) is a token passed.
"""

from __future__ import annotations

import re

from release_assistant.core.findings import Finding, Severity
from release_assistant.core.rules.workflow import (
    TOKEN_PUBLISHING,
    TOKEN_SECRET_TO_OTHER_STEP,
    TOKEN_UPLOAD_NEVER_RUNS,
    UNREADABLE_STEP,
    UPLOAD_WITHOUT_CREDENTIAL,
)
from release_assistant.core.support.lazy_regex import LazyPattern
from release_assistant.core.workflows.analysis.state import WorkflowFindings
from release_assistant.core.workflows.analysis.triggers import upload_never_runs
from release_assistant.core.workflows.uploads import Credential, Upload
from release_assistant.core.workflows.uploads.credentials import (
    STORES_CREDENTIAL,
    sets_up_credentials,
)
from release_assistant.core.workflows.workflow import PUBLISH_ACTION

_TOKEN_SECRET = re.compile(
    r"\bsecrets\s*(?:\.\s*|\[\s*['\"])(\w*(?:pypi|twine|publish_token|upload_token)\w*)"
    r"|\btojson\s*\(\s*(secrets)\s*\)",
    re.IGNORECASE,
)
_TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+|"
    r"POETRY_HTTP_BASIC_\w+_PASSWORD|FLIT_PASSWORD|PDM_PUBLISH_PASSWORD|HATCH_INDEX_AUTH|"
    r"MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$",
    re.IGNORECASE,
)
_SECRET_REFERENCE = LazyPattern(r"\bsecrets\s*(?:\.\s*|\[\s*['\"])([A-Za-z0-9_-]+)", re.IGNORECASE)
_FIX = (
    "delete the token (input, variable or option) and use trusted publishing: "
    "'id-token: write' on the publish job, then delete the API token on the index"
)


def check_tokens(state: WorkflowFindings) -> None:
    """Each upload's credential, then index secrets anywhere else in the workflow."""
    for upload in state.uploads:
        token = upload.token or _stored_by_a_step(upload)
        if token is None:
            if not upload.oidc and not upload.minted and not _may_mint(upload):
                _no_credential(state, upload)
            continue
        state.reported_lines.add(token.line)
        # A `with:` input reads as written (`password:`); variables and options by name.
        where = f"'{token.name}:'" if upload.tool == PUBLISH_ACTION else f"'{token.name}'"
        if upload_never_runs(state, upload):
            state.emit(
                Finding(
                    TOKEN_UPLOAD_NEVER_RUNS.code,
                    f"{upload.job.label} uploads with a stored token ({where}), but no "
                    "trigger of this workflow can run it",
                    Severity.WARNING,
                    state.path,
                    token.line,
                    f"delete {upload.job.label} and the stored secret (and revoke the "
                    "token on the index)",
                )
            )
            continue
        state.add(
            TOKEN_PUBLISHING,
            f"{upload.job.label} passes {where} to {upload.label}: token publishing "
            "instead of trusted publishing (OIDC)",
            token.line,
            _FIX,
        )
    _secret_scan(state)


def _no_credential(state: WorkflowFindings, upload: Upload) -> None:
    """RA638, or RA646 when a step before the upload could store the credential unseen."""
    unread = [
        (step, what)
        for step, what, _ in state.aw.scans[upload.job.id].unread
        if step.index <= upload.step.index
    ]
    if unread:
        step, what = unread[0]
        state.emit(
            Finding(
                UNREADABLE_STEP.code,
                f"{upload.job.label} passes {upload.label} no credential that the tool can "
                f"see ({UPLOAD_WITHOUT_CREDENTIAL.code} unconfirmed): {what} ({step.label}) runs "
                "before it and may store one, but the tool cannot read it",
                Severity.WARNING,
                state.path,
                upload.line,
                "if it stores the index token, nothing is wrong; otherwise upload with "
                f"'uses: {PUBLISH_ACTION}@release/v1' or `uv publish`. To accept it, put "
                f"'# release-assistant: ignore[{UNREADABLE_STEP.code}]' on this line",
            )
        )
        return
    state.add(
        UPLOAD_WITHOUT_CREDENTIAL,
        f"{upload.job.label} uploads with {upload.label}, which cannot use "
        "trusted publishing itself, and passes it no credential: the "
        "upload fails",
        upload.line,
        f"upload with 'uses: {PUBLISH_ACTION}@release/v1' or `uv publish` "
        "(both use the OIDC token), or pass a token minted in an earlier step",
    )


def _stored_by_a_step(upload: Upload) -> Credential | None:
    """A secret an earlier step stores for the upload (``poetry config pypi-token``...)."""
    for step in upload.job.steps[: upload.step.index + 1]:
        if not STORES_CREDENTIAL.search(step.run or ""):
            continue
        texts = [(step.run or "", step.run_line)]
        texts += [(str(v), step.env.value_line(k)) for k, v in step.env.items()]
        texts += [(str(v), step.inputs.value_line(k)) for k, v in step.inputs.items()]
        for text, line in texts:
            for match in _SECRET_REFERENCE.finditer(text):
                if match.group(1).lower() != "github_token":
                    at = line + text[: match.start()].count("\n")
                    return Credential(f"secrets.{match.group(1)}", at, "secret", text)
    return None


def _may_mint(upload: Upload) -> bool:
    # A credential set up by an earlier step (a stored token there is RA626's business).
    return any(
        sets_up_credentials(step) for step in upload.job.steps if step.index <= upload.step.index
    )


def _secret_scan(state: WorkflowFindings) -> None:
    aw, wf = state.aw, state.wf
    other_lines = {c.line for u in aw.uploads if not u.at_index for c in u.credentials}
    for value, line, path in wf.scalars():
        key = path[-1] if path else None
        secret = _TOKEN_SECRET.search(value)
        offset = value[: secret.start()].count("\n") if secret is not None else 0
        if line + offset in state.reported_lines or line + offset in other_lines:
            continue
        job = wf.jobs.get(str(path[1])) if len(path) > 2 and path[0] == "jobs" else None
        if (
            secret is None
            and job is not None
            and job.id in aw.scans
            and not aw.scans[job.id].uploads
        ):
            continue  # a token variable in a job that uploads nothing
        if isinstance(key, str) and _TOKEN_ENV.match(key) and secret is None:
            if job is not None and not any(u.job is job for u in state.uploads):
                continue
            state.reported_lines.add(line)
            state.add(
                TOKEN_PUBLISHING,
                f"'{key}' supplies an index token: token publishing instead of trusted "
                "publishing (OIDC)",
                line,
                _FIX,
            )
        elif secret is not None:
            state.reported_lines.add(line + offset)
            # `toJSON(secrets)` hands over every secret, an index token among them.
            what = (
                f"secret {secret.group(1)!r} looks like an index API token"
                if secret.group(1)
                else "toJSON(secrets) passes every secret, index tokens included,"
            )
            if job is not None and state.runs.never_runs(job):
                state.emit(
                    Finding(
                        TOKEN_UPLOAD_NEVER_RUNS.code,
                        f"{what}, but no trigger of this workflow can run {job.label}",
                        Severity.WARNING,
                        state.path,
                        line + offset,
                        f"delete {job.label} and the stored secret",
                    )
                )
                continue
            state.emit(
                Finding(
                    TOKEN_SECRET_TO_OTHER_STEP.code,
                    f"{what} and is handed to a step that does not upload with it: "
                    "everything that step runs can read it",
                    Severity.WARNING,
                    state.path,
                    line + offset,
                    "if trusted publishing replaced the token, delete the reference and the "
                    "stored secret (and revoke the token on the index)",
                )
            )
