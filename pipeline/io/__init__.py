"""Readers and writers: formats, compression, atomic output. Nothing about Arabic."""
from .readers import Failure, InputError, ReadOptions, Source, iter_documents, open_sources
from .writers import OutputError, infer_format, open_writer, write_table

__all__ = ["Failure", "InputError", "ReadOptions", "Source", "iter_documents", "open_sources",
           "OutputError", "infer_format", "open_writer", "write_table"]
