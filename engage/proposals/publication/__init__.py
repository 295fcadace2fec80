"""Publishing a session's overall handling figures (建议提案办理总体情况公开) as dated statements."""
