"""The rules of the `workflow` check: one entry per finding code."""

from __future__ import annotations

from release_assistant.core.findings import Severity
from release_assistant.core.rules.rule import Rule
from release_assistant.core.rules.texts import ID_TOKEN
from release_assistant.core.urls import (
    TESTPYPI_LEGACY_UPLOAD_URL,
    TROUBLESHOOTING_DOCS_URL,
    TRUSTED_PUBLISHING_DOCS_URL,
)

NO_PUBLISHING_WORKFLOW = Rule(
    "RA601",
    "No workflow publishes the release",
    "No workflow in .github/workflows uploads distributions (with "
    "pypa/gh-action-pypi-publish, uv publish, twine upload, pdm/poetry/hatch/flit publish "
    "or maturin upload), or the workflow file set in [tool.release-assistant] does not "
    "exist. Without one, publishing the GitHub release publishes nothing. When a step the "
    "tool cannot read (another repository's action, a script it cannot follow) might be "
    "the upload, RA646, a warning naming that step, takes its place.",
    "Run `release-assistant workflow init` to write one, or set\n"
    'workflow = ".github/workflows/<file>.yml" in [tool.release-assistant].',
)

INVALID_WORKFLOW = Rule(
    "RA602",
    "Workflow file is invalid",
    "The file is not valid YAML, not a mapping, repeats a key, needs an unknown job or has "
    "'uses:' without '@ref'. GitHub rejects the whole workflow, so the release never runs.",
    "Fix the line the finding names. Indentation errors and an unclosed [ or { are the "
    "usual causes.",
)

CONFIGURED_WORKFLOW_DOES_NOT_PUBLISH = Rule(
    "RA603",
    "The configured release workflow does not publish",
    "[tool.release-assistant] names a workflow file that uploads nothing, while another "
    "workflow does. PyPI sees the file that uploads; a publisher registered for the "
    "configured name would not match it.",
    'Set workflow = "<the file that publishes>" in [tool.release-assistant] (the '
    "finding names it).",
    TRUSTED_PUBLISHING_DOCS_URL,
    severity=Severity.WARNING,
)

NOT_TIED_TO_RELEASE = Rule(
    "RA604",
    "Publishing is not tied to a release",
    "The upload to PyPI runs only on branch pushes (or a schedule): no published release, "
    "tag push or manual dispatch starts it, so every merge is a release of whatever "
    "version the branch holds. Some projects release on merge on purpose.",
    "on:\n  release:\n    types: [published]",
    severity=Severity.WARNING,
)

WRONG_RELEASE_TYPES = Rule(
    "RA605",
    "Release trigger fires on the wrong activity types",
    "'release' without 'types' (or with edited, deleted, unpublished) runs the upload when "
    "a release is edited or deleted: no new version, so the upload runs again or publishes "
    "a release that was withdrawn.",
    "on:\n  release:\n    types: [published]",
)

DANGEROUS_TRIGGER = Rule(
    "RA606",
    "Dangerous trigger on a publishing workflow",
    "pull_request_target, workflow_run, issue_comment, issues, discussion, "
    "discussion_comment, pull_request_review, pull_request_review_comment, fork and watch "
    "run with the base repository's secrets and permissions on events that outside "
    "contributors can cause; in a workflow that can mint a publishing token they let "
    "anyone start a publish.",
    "Remove the trigger from the publishing workflow; keep such automation in a separate "
    "workflow without id-token: write.",
)

OTHER_TRIGGER_PUBLISHES = Rule(
    "RA607",
    "Another trigger runs the publish job",
    "A pull request, or a branch push or schedule beside the release trigger, also runs the "
    "PyPI upload (no condition stops it): it publishes unmerged code, or every push. "
    "TestPyPI uploads on every push are a development channel and not reported.",
    "Drop the trigger, or guard the publish jobs:\n"
    "  if: github.event_name == 'release' || startsWith(github.ref, 'refs/tags/')",
)

REUSABLE_WORKFLOW_PUBLISHES = Rule(
    "RA608",
    "Publishing from a reusable workflow",
    "The PyPI upload runs in a workflow started by workflow_call (or the publish job calls "
    "one). PyPI documents trusted publishing from reusable workflows as not supported and "
    "subject to breakage; the identity it checks names the calling workflow's file.",
    "Put the build and publish jobs in the top-level workflow file and register that "
    "file's name on the index.",
    TROUBLESHOOTING_DOCS_URL,
    severity=Severity.WARNING,
)

NO_BUILD_BEFORE_UPLOAD = Rule(
    "RA610",
    "No recognizable build before the upload",
    "The publish job neither downloads an artifact nor runs a build command the check "
    "knows, so where its distributions come from cannot be verified.",
    "Add a 'build' job that runs `python -m build` (or `uv build`) and uploads dist/ with\n"
    "actions/upload-artifact; make every publish job `needs: [build]`.",
    severity=Severity.WARNING,
)

PUBLISH_IN_BUILD_JOB = Rule(
    "RA611",
    "Publish step in the build job",
    "The job that builds also publishes: the build (and every build dependency it "
    "installs) runs in a job that can mint a publishing token.",
    "Split it: the build job uploads dist/; a separate publish job with id-token: write "
    "downloads it and publishes.",
    severity=Severity.WARNING,
)

MATRIX_BUILD = Rule(
    "RA612",
    "Build job runs as a matrix",
    "Every matrix run uploads an artifact of the same name; actions/upload-artifact v4 "
    "rejects the second upload, and different runs may build different files.",
    "Build the sdist and the pure wheel once in a job without a matrix, or include\n"
    "${{ matrix.* }} in the artifact name and download with pattern + merge-multiple: true.",
    severity=Severity.WARNING,
)

NO_VALIDATION_BEFORE_BUILD = Rule(
    "RA613",
    "Nothing validates before the build",
    "No tests or metadata checks run before the distributions are built and published, "
    "so a broken release reaches the index.",
    "Add a 'verify' job (tests, `twine check --strict`, validate-pyproject) and make the "
    "build job `needs: [verify]`.",
    severity=Severity.WARNING,
)

PUBLISH_DOES_NOT_WAIT_FOR_BUILD = Rule(
    "RA614",
    "Publish job does not wait for the build",
    "Without needs: [build] the publish job starts at the same time as the build, before "
    "the artifact exists.",
    "Add `needs: [build]` to the publish job.",
)

BUILD_DOES_NOT_UPLOAD_DIST = Rule(
    "RA615",
    "Build does not upload dist/",
    "The publish job runs on a fresh runner; it only gets the distributions the build job "
    "uploads as an artifact. (RA646, a warning, when an action the tool does not read "
    "might upload it.)",
    "After the build step:\n"
    "  - uses: actions/upload-artifact@v4\n"
    "    with:\n      name: python-package-distributions\n      path: dist/",
)

PUBLISH_DOES_NOT_DOWNLOAD_DIST = Rule(
    "RA616",
    "Publish job does not download dist/",
    "The upload reads one directory (packages-dir of pypa/gh-action-pypi-publish, the "
    "files given to uv publish or twine upload; dist/ by default). Without a build or a "
    "download into that directory it fails with 'No dists found'.",
    "Before the publish step:\n"
    "  - uses: actions/download-artifact@v4\n"
    "    with:\n      name: python-package-distributions\n      path: dist/",
    aliases=("no-dists", "no-dists-found", "artifact", "artifacts"),
)

ARTIFACT_NAMES_DIFFER = Rule(
    "RA617",
    "Artifact names do not match",
    "The publish job downloads an artifact name the build never uploaded, or downloads all "
    "artifacts without a name (each then lands in its own sub-directory of dist/), so the "
    "publish step finds no distributions. (A name nobody uploads is RA646, a warning, when "
    "an action the tool does not read might upload it.)",
    "Use the same `name:` on upload-artifact and download-artifact.",
)

NO_ID_TOKEN_PERMISSION = Rule(
    "RA620",
    "Publish job lacks id-token: write",
    "Trusted publishing exchanges a GitHub OIDC token for an upload token; a job can only "
    "request it with id-token: write. The publish step fails with 'Trusted publishing "
    "exchange failure' about missing or insufficient OIDC token permissions. (RA646, a "
    "warning, when a step before the upload that the tool cannot read may store a token "
    "for it; a token a run: script exports is token publishing, RA626.)",
    ID_TOKEN,
    TROUBLESHOOTING_DOCS_URL,
    aliases=("oidc", "oidc-permission", "id-token", "missing-id-token"),
)

WORKFLOW_WIDE_ID_TOKEN = Rule(
    "RA621",
    "id-token: write granted to the whole workflow",
    "At workflow level the permission reaches every job: tests and build steps (and every "
    "package they install) could mint a publishing token.",
    "Set `permissions: {}` or `contents: read` at workflow level and grant id-token: write "
    "only in the publish jobs.",
    severity=Severity.WARNING,
)

ID_TOKEN_ON_NON_PUBLISHING_JOB = Rule(
    "RA622",
    "id-token: write on a job that does not publish",
    "Only jobs that publish or attest (actions/attest*, attestations: write) need to mint "
    "an OIDC token; any other job holding the permission widens what a compromised step "
    "can do.",
    "Remove id-token: write from that job.",
    severity=Severity.WARNING,
)

NO_ENVIRONMENT = Rule(
    "RA623",
    "Publish job without an environment",
    "A deployment environment lets GitHub require a reviewer before the upload, and it is "
    "part of the identity the index checks; a publisher registered with an environment "
    "rejects runs without it.",
    "Add `environment: pypi` (or testpypi) to the publish job, create the environment in "
    "the repository settings and register the same name on the index.",
    severity=Severity.WARNING,
)

TEST_INDEX_WITHOUT_URL = Rule(
    "RA624",
    "TestPyPI publish without the test index's upload URL",
    "Without repository-url the action uploads to the production index; a wrong URL (for "
    "instance the /simple/ index) fails.",
    f"with:\n  repository-url: {TESTPYPI_LEGACY_UPLOAD_URL}",
)

REAL_INDEX_POINTS_AT_TEST = Rule(
    "RA625",
    "PyPI publish points at the test index",
    "The job named for PyPI uploads to TestPyPI, so the real release never appears.",
    "Remove repository-url from the PyPI publish step (or rename the job and environment "
    "if it is the test upload).",
)

TOKEN_PUBLISHING = Rule(
    "RA626",
    "Token publishing instead of trusted publishing",
    "An upload to PyPI or TestPyPI gets a stored API token (a password: input, "
    "TWINE_PASSWORD, UV_PUBLISH_TOKEN, POETRY_PYPI_TOKEN_*, PDM_PUBLISH_PASSWORD, "
    "FLIT_PASSWORD, MATURIN_PYPI_TOKEN or the matching option, from a secret or written "
    "out), or a *PYPI*TOKEN secret is handed to a job. Long-lived tokens leak; trusted "
    "publishing needs none. Uploads to a private index are not judged.",
    "Delete the password/user inputs and token variables, give the publish job id-token: "
    "write, register the trusted publisher, then revoke the token on the index.",
    TRUSTED_PUBLISHING_DOCS_URL,
)

CHECKOUT_PERSISTS_TOKEN = Rule(
    "RA630",
    "Checkout keeps the GitHub token on disk",
    "actions/checkout writes the job's GITHUB_TOKEN into .git/config unless "
    "persist-credentials is false; every later step, including build backends and "
    "their plugins, can read it.",
    "- uses: actions/checkout@v4\n  with:\n    persist-credentials: false",
    severity=Severity.WARNING,
)

UNPINNED_ACTION = Rule(
    "RA631",
    "Action not pinned to a commit",
    "A tag or branch can be moved to different code after you reviewed it; a release "
    "workflow then runs code nobody reviewed with publishing permissions.",
    "Pin third-party actions to a full commit SHA with the tag as a comment:\n"
    "  uses: owner/action@<40-hex SHA>  # v1.2.3\n"
    "Tune with [tool.release-assistant.workflow_rules] require_pinned_actions and "
    "unpinned_allowed_owners.",
    severity=Severity.WARNING,
)

RETIRED_PUBLISH_BRANCH = Rule(
    "RA632",
    "Publish action on its retired branch",
    "pypa/gh-action-pypi-publish's master branch is no longer updated.",
    "uses: pypa/gh-action-pypi-publish@release/v1",
    severity=Severity.WARNING,
)

DOUBLE_RELEASE_TRIGGER = Rule(
    "RA633",
    "Release trigger fires twice for one release",
    "The 'release' trigger lists activity types that fire together (published with "
    "released, prereleased or created): the upload runs twice and the second run fails "
    "on files that already exist.",
    "on:\n  release:\n    types: [published]",
    severity=Severity.WARNING,
)

WORKFLOW_ANALYSED = Rule(
    "RA634",
    "Which workflow was analysed",
    "Informational: the workflow that publishes was found by what it does, not by its "
    "name; when several publish, the trusted-publisher identity comes from the one the "
    "finding names, for the reason it gives.",
    'Set workflow = ".github/workflows/<file>.yml" in [tool.release-assistant] to name '
    "the release workflow explicitly.",
    severity=Severity.INFO,
)

JOB_IDS_DIFFER_IN_CASE = Rule(
    "RA635",
    "Job ids differ only in letter case",
    "GitHub compares job ids ignoring case, so two jobs spelled alike but for case are one "
    "job twice, and GitHub rejects the workflow.",
    "Rename one of the jobs (and the 'needs:' that name it).",
)

YAML_MERGE_KEY = Rule(
    "RA636",
    "YAML merge key in a workflow",
    "'<<:' merges a mapping in YAML 1.1 (and in PyYAML). GitHub reads workflows as YAML "
    "1.2, which has no merge keys: the keys are not merged, so the job lacks what the "
    "merge should bring (or GitHub rejects '<<' as an unknown key).",
    "Write the merged keys out in each mapping (anchors and aliases of whole values work).",
)

TOKEN_UPLOAD_NEVER_RUNS = Rule(
    "RA637",
    "Token upload in a job that never runs",
    "A job uploads with a stored API token, but no trigger of the workflow can run it (for "
    "instance it is guarded on tag refs in a workflow only branch pushes start). It "
    "publishes nothing, yet the token stays stored in the repository's secrets.",
    "Delete the job and the stored secret, and revoke the token on the index.",
    TRUSTED_PUBLISHING_DOCS_URL,
    severity=Severity.WARNING,
)

UPLOAD_WITHOUT_CREDENTIAL = Rule(
    "RA638",
    "Upload without a credential",
    "poetry publish, hatch publish and flit publish cannot use trusted publishing "
    "themselves; given no token (nor one minted in an earlier step) the upload fails. "
    "(RA646, a warning, when a step before it that the tool cannot read may store one.)",
    "Upload with pypa/gh-action-pypi-publish or `uv publish` (both use the job's OIDC "
    "token; keep `poetry build`/`hatch build` for building), with id-token: write on the "
    "job.",
    TRUSTED_PUBLISHING_DOCS_URL,
)

TOKEN_SECRET_TO_OTHER_STEP = Rule(
    "RA639",
    "Index-token secret handed to a step that does not upload",
    "A secret named like an index API token (…PYPI…, …PUBLISH_TOKEN…) reaches a step that "
    "uploads nothing with it: whatever that step runs (build backends, test plugins) can "
    "read it. Often it is left over from token publishing.",
    "Delete the reference; when trusted publishing replaced the token, delete the stored "
    "secret and revoke the token on the index.",
    TRUSTED_PUBLISHING_DOCS_URL,
    severity=Severity.WARNING,
)

AMBIGUOUS_YAML = Rule(
    "RA640",
    "Workflow text that YAML readers read differently",
    "U+2028, U+2029 and U+0085 are line breaks to YAML 1.1 readers (PyYAML and the tools "
    "built on it) but ordinary characters to YAML 1.2 readers such as GitHub's; a '=' key "
    "is a special 'value' key in YAML 1.1 and plain text in YAML 1.2. Such a file shows "
    "reviewers and checkers one workflow and runs another (a comment can hide a trigger).",
    "Delete the character (in a quoted string write it as an escape, such as \\u2028), "
    "and rename a '=' key.",
)

NON_ASCII_ACTION_REFERENCE = Rule(
    "RA641",
    "Non-ASCII characters in an action reference",
    "GitHub owner and repository names are ASCII. A 'uses:' with other characters is a "
    "look-alike (a Cyrillic a, U+0430, for 'a'; a fullwidth p, U+FF50): reviewers read "
    "one action, GitHub fetches another repository or none, and tools matching names "
    "miss it.",
    "Retype the reference in ASCII (owner/repo@ref), and check where the look-alike came from.",
)

THIRD_PARTY_CODE_WITH_OIDC = Rule(
    "RA642",
    "Third-party code runs in a job that can mint an OIDC token",
    "A job holding id-token: write pipes a download into a shell (curl … | sh, "
    "wget -O- | bash) or runs a third-party action by a movable tag. Whatever that code "
    "becomes tomorrow runs with the power to mint a publishing token.",
    "Move the step to a job without id-token: write, pin the action to a full commit SHA, "
    "or install the tool from a pinned, checked source (a pinned action, pip with hashes).",
    severity=Severity.WARNING,
)

THIRD_PARTY_ACTION_IN_PUBLISH_JOB = Rule(
    "RA643",
    "Third-party action in the job that can publish",
    "The job that publishes, holding id-token: write, runs an action pinned to a commit "
    "whose owner is not GitHub (actions, github), PyPA (pypa) or Sigstore (sigstore, "
    "whose code the publish action runs for its attestations). Any step of that job can "
    "mint an OIDC token the index accepts for your trusted publisher, so that action's "
    "code can upload a release of its own. The pin fixes which code runs, not what it "
    "does with the token. Trusted too: the repository's own owner (configured for the "
    "publisher, or origin's), owners listed in unpinned_allowed_owners, the vendor of the "
    "job's upload tool (astral-sh for uv publish, pdm-project, PyO3 for maturin) and "
    "the repository of an upload action. Unpinned actions are RA642.",
    "Move the action to a job without id-token: write and hand its result over as an "
    "artifact, so the publish job only downloads the files and runs the publish action:\n"
    "  publish:\n    permissions:\n      id-token: write\n    steps:\n"
    "      - uses: actions/download-artifact@v4\n"
    "      - uses: pypa/gh-action-pypi-publish@release/v1",
    TRUSTED_PUBLISHING_DOCS_URL,
    severity=Severity.WARNING,
)

ENVIRONMENT_CAN_BE_EMPTY = Rule(
    "RA644",
    "Publish job's environment can be empty",
    "The publish job's environment is an expression, such as ${{ inputs.environment }} "
    "(empty when a published release or a tag push runs the job: only a dispatch or a "
    "call fills inputs), an optional dispatch input without a default, or "
    "${{ matrix.env }} where a matrix combination has no env. An empty name is no "
    "environment: the OIDC token names none, so a trusted publisher registered for one "
    "environment rejects the upload, and the environment's required reviewers are "
    "skipped. A warning, since a publisher registered without an environment accepts it; "
    "when [tool.release-assistant.publisher] names the registered environment and the "
    "name is provably empty on the release, the publisher check reports RA706/RA707 "
    "(an error).",
    "Give the expression the registered name as its fallback:\n"
    "  environment: ${{ inputs.environment || 'pypi' }}\n"
    "or write the name literally (environment: pypi).",
    TRUSTED_PUBLISHING_DOCS_URL,
    severity=Severity.WARNING,
)

PUBLISHING_INFERRED = Rule(
    "RA645",
    "Publishing inferred, not seen",
    "Informational: a job that holds id-token: write and names the index (its "
    "environment, such as 'pypi', or an index URL) runs a step the tool cannot see "
    "into (another repository's action, a script or task runner it cannot follow), and "
    "no upload of it is visible. The job is taken to publish there, so no 'nothing "
    "publishes' claim is made; what it uploads, with which credential and on which "
    "events is not checked.",
    "Nothing to fix. To have the upload checked, publish with pypa/gh-action-pypi-publish "
    "or `uv publish` in the workflow itself; if the job does not publish, remove its "
    "id-token: write.",
    severity=Severity.INFO,
)

UNREADABLE_STEP = Rule(
    "RA646",
    "Absence not confirmed: a step the tool cannot read",
    "A rule that claims something is missing fails the check only when the tool read "
    "everything it searched: no workflow publishes (RA601), an artifact nobody uploads "
    "(RA615, RA617), an upload given no credential (RA638), an upload that needs the "
    "OIDC token its job lacks (RA620). Here a step it cannot see into (another "
    "repository's action, a repository script it cannot read or follow, a task runner "
    "such as tox or nox, a composite action it cannot read) could do what is missing, "
    "so the claim is a warning that names that step.",
    "If the step does the missing part, nothing is wrong: put "
    "'# release-assistant: ignore[RA646]' on the line the finding names, or set "
    'workflow = ".github/workflows/<file>.yml" in [tool.release-assistant] to name the '
    "workflow that publishes. Otherwise add what is missing (the finding says what).",
    severity=Severity.WARNING,
)

ZIZMOR_FINDING = Rule(
    "RA690",
    "zizmor audit finding",
    "zizmor (the GitHub Actions security linter, installed with the `audit` extra) found "
    "a problem in a workflow that publishes; the message starts with its audit id "
    "(zizmor/template-injection, zizmor/cache-poisoning, ...), which JSON keeps as "
    "`external_id` and SARIF as the rule id's second part. Severity: an error only for a "
    "credential written into the workflow (hardcoded-container-credentials); zizmor's "
    "other high and medium findings (template injection, cache poisoning, ...) are "
    "warnings, because a publishing workflow our trigger rules pass runs only on events "
    "that need write access (where outsiders can start it, RA606/RA607 are the errors); "
    "low and informational findings are info. Audits one of our rules already "
    "covers (unpinned-uses: RA631, artipacked: RA630, dangerous-triggers: RA606, "
    "use-trusted-publishing: RA626) are not repeated.",
    "Follow the fix in the finding (zizmor's suggestion and its audit page). To accept one "
    "finding, put `# zizmor: ignore[<audit>]` (or `# release-assistant: ignore[RA690]`) on "
    'the line it names; `ignore = ["RA690"]` in [tool.release-assistant] drops them '
    "all.",
    "https://docs.zizmor.sh/audits/",
    contextual=True,
)

ZIZMOR_DID_NOT_RUN = Rule(
    "RA691",
    "zizmor's security audits did not run",
    "zizmor is not installed, so the publishing "
    "workflows were checked for the trusted-publishing model only: template injection, "
    "cache poisoning and the other security audits zizmor does were not run. The "
    "pre-commit hook never runs zizmor (it would double the hook's time).",
    "pip install 'release-assistant[audit]'   (or: pipx install zizmor)\n"
    "Set RELEASE_ASSISTANT_ZIZMOR=/path/to/zizmor to use a particular executable, or "
    "RELEASE_ASSISTANT_ZIZMOR=off to run without the audits and without this line.",
    severity=Severity.INFO,
)

ZIZMOR_FAILED = Rule(
    "RA692",
    "zizmor could not audit the workflows",
    "zizmor was found but failed, did not finish within 30 seconds, or printed output "
    "that is not its JSON findings (an old or broken installation, or a zizmor "
    "configuration file it rejects), or the workflows are larger than the 2 MiB it is "
    "given (its memory grows with them). The audits are missing from this run; nothing "
    "else is affected.",
    "Run `zizmor --offline .github/workflows/<file>.yml` to see its error; upgrade it "
    "with pip install --upgrade 'release-assistant[audit]', or set "
    "RELEASE_ASSISTANT_ZIZMOR=off.",
    severity=Severity.WARNING,
)

RULES: tuple[Rule, ...] = (
    NO_PUBLISHING_WORKFLOW,
    INVALID_WORKFLOW,
    CONFIGURED_WORKFLOW_DOES_NOT_PUBLISH,
    NOT_TIED_TO_RELEASE,
    WRONG_RELEASE_TYPES,
    DANGEROUS_TRIGGER,
    OTHER_TRIGGER_PUBLISHES,
    REUSABLE_WORKFLOW_PUBLISHES,
    NO_BUILD_BEFORE_UPLOAD,
    PUBLISH_IN_BUILD_JOB,
    MATRIX_BUILD,
    NO_VALIDATION_BEFORE_BUILD,
    PUBLISH_DOES_NOT_WAIT_FOR_BUILD,
    BUILD_DOES_NOT_UPLOAD_DIST,
    PUBLISH_DOES_NOT_DOWNLOAD_DIST,
    ARTIFACT_NAMES_DIFFER,
    NO_ID_TOKEN_PERMISSION,
    WORKFLOW_WIDE_ID_TOKEN,
    ID_TOKEN_ON_NON_PUBLISHING_JOB,
    NO_ENVIRONMENT,
    TEST_INDEX_WITHOUT_URL,
    REAL_INDEX_POINTS_AT_TEST,
    TOKEN_PUBLISHING,
    CHECKOUT_PERSISTS_TOKEN,
    UNPINNED_ACTION,
    RETIRED_PUBLISH_BRANCH,
    DOUBLE_RELEASE_TRIGGER,
    WORKFLOW_ANALYSED,
    JOB_IDS_DIFFER_IN_CASE,
    YAML_MERGE_KEY,
    TOKEN_UPLOAD_NEVER_RUNS,
    UPLOAD_WITHOUT_CREDENTIAL,
    TOKEN_SECRET_TO_OTHER_STEP,
    AMBIGUOUS_YAML,
    NON_ASCII_ACTION_REFERENCE,
    THIRD_PARTY_CODE_WITH_OIDC,
    THIRD_PARTY_ACTION_IN_PUBLISH_JOB,
    ENVIRONMENT_CAN_BE_EMPTY,
    PUBLISHING_INFERRED,
    UNREADABLE_STEP,
    ZIZMOR_FINDING,
    ZIZMOR_DID_NOT_RUN,
    ZIZMOR_FAILED,
)
