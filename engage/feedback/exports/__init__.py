"""Downloads of every comment of a large consultation, prepared by a job consumer into a file.

A national consultation's 400,000 comments take longer to write than gunicorn lets a request run (its sync
workers are stopped after 30 s), so above ``EXPORT_DIRECT_ROWS`` comments a download is a run on the queue,
like the search for similar comments: the page records it, a consumer writes the file a row at a time (constant
memory, CSV or XLSX), and the person who asked is told by e-mail when it is ready. The file holds contact
details, so it is kept only ``EXPORT_KEEP_HOURS`` and then deleted; every download of it is audited.
"""
