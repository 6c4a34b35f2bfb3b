"""Dask API: ``pipeline.dask.extract(ddf, text_col="text", ...)`` -> a lazy Dask DataFrame of mentions.

See ``pipeline.engines.dask`` (also behind ``arabic-ner extract --engine dask``).
"""
from .engines.dask import client_for, extract, run_sources

__all__ = ["extract", "run_sources", "client_for"]
