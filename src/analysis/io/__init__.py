"""The ground floor: how every command writes files, owns output folders and takes locks.

Modules, each with one concern:

- :mod:`analysis.io.atomic` — atomic writes of a file (temporary sibling, then rename; the
  umask is respected) and of a whole folder (temporary sibling folder, then swap).
- :mod:`analysis.io.locks` — locks on folders, built on ``filelock``: an exclusive lock for a
  folder one command writes, and a read/write lock for the processed data (a batch of reports
  reads one state of it while a build waits or refuses).
- :mod:`analysis.io.folders` — owned output folders: the one mark (``.analysis-owned.json``)
  saying which command made a folder and which files it wrote, and the shared refusals (raw
  data, the project, a git work tree, a file, a folder with someone else's files).

This package imports only the standard library, ``filelock`` and the base modules
(``config``, ``exceptions``), and sits on the base layer under every stage.
"""
