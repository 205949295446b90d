"""Stage 4, the vault: place each note at a unique path, sync it with what the person has there (merge,
conflicts, deletions), write files atomically, keep the daily pages and the SQLite sync state."""
