"""Arabic news entity extraction pipeline."""
