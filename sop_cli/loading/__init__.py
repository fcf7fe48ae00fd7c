"""Read the workspace's files into validated models, with every problem placed."""
