"""Work off the GUI thread: the session and its write queue, imports, archive jobs (export, backup, bags, verification), unlocking, and how their outcomes are told."""
