"""One module per check, each with ``TITLE`` and ``run(ctx: RepoContext) -> CheckResult``."""
