"""Running work off the page: the job a session owns, the server-wide pool, the worker process."""
