class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what and where, in the operator's words."""
