"""Evaluation of the pipeline's stages against gold files."""
