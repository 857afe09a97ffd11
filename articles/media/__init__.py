"""The picture library.

- ``images``: storing uploads (by the task worker), focal points, deleting, which
  articles use each picture;
- ``pictures``: what showing one takes: its data for the renderer and the templates,
  cover and thumbnail markup, what the desk says of one that is not ready;
- ``imaging``: Pillow's work, in a bounded helper process (no database); ``vector``: an
  imported SVG drawn as PNG there.

May use: models, rendering, signals.
"""
