"""``python -m pipeline`` = ``arabic-ner``."""
from .cli import main

main()
