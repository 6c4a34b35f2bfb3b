"""Engines move batches of documents through a Pipeline and rows to writers, with resume and error capture.

- ``local``: all cores of this machine (worker processes, one pipeline each);
- ``dask``: a Dask cluster (``pipeline.dask.extract`` for Dask DataFrames);
- ``base``: what both share (chunk processing, the resumable work folder, progress).

Engines know nothing about what the stages do.
"""
