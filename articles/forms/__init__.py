"""The desk's forms (web layer): ``fields`` every form shares, an article's (``articles``:
the editor, its preview, a workflow step, a comment, a fix), the picture library's and a
writer's page (``library``), the desk list's (``desk``).

May use: publishing and everything below it.
"""
