"""Write the workspace's files safely: atomically, under a lock, never in place."""
