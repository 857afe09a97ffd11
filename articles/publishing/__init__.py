"""The editor workflow and everything that changes an article in the desk.

- ``workflow``: the door for every state change (``apply_transition``), bulk steps,
  preview links, imports' transitions; ``actions``: one class per workflow action (its
  states, permission, change and audit); ``permissions``: who may do what;
- ``editing``: creating and saving articles (optimistic locking, autosaves, revisions);
  ``columns``: an article's columns and tags from a revision;
- ``notifications``: the inbox; ``redirects``: old addresses that answer 301.

May use: checks, reading, media, models, rendering, signals.
"""
