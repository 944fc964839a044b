"""BagIt bags: `export` writes an archive (or part of it) as a bag, `check` verifies a bag completely before
anything of it is used, `restore` adds a checked bag's documents, originals, tags, links and reviews."""
