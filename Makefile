# Everything runs inside .venv/, created on first use by the targets that need it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHARED ?= ../shared/data

.PHONY: setup run test train eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: camel-tools needs it, and an unpinned torch pulls a multi-GB CUDA build
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[spacy,dask,dev,train,render]"
	touch $(STAMP)

setup: $(STAMP)

run: setup  ## extract entities from the sample in data/raw/ into data/processed/
	$(VENV)/bin/arabic-ner extract data/raw -o data/processed/entities.csv --overwrite
	$(VENV)/bin/arabic-ner extract data/raw -o data/processed/entities.jsonl --overwrite --quiet
	@echo "wrote data/processed/entities.csv and data/processed/entities.jsonl"

test: setup
	$(PY) -m pytest -q

train: setup  ## rebuild everything under models/ from $(SHARED)
	$(PY) -m pipeline.train.lexicon --text $(SHARED)/text/arwiki_2017.jsonl.gz --out models/lexicon/wordfreq.tsv.gz
	$(PY) -m pipeline.train.gazetteer --shared $(SHARED) --out models/gazetteer/entries.tsv
	$(PY) -m pipeline.train.all --shared $(SHARED) --out models/ner --jobs 2

eval: setup  ## accuracy: NER on ANERcorp/AQMAR test, the whole pipeline on Wojood and the reference document, dates
	$(PY) -m pipeline.evaluation.ner
	$(PY) -m pipeline.evaluation.pipeline_ner --split test --without org_phrases --anercorp
	$(PY) -m pipeline.evaluation.reference
	$(PY) -m pipeline.evaluation.dates

bench: setup  ## speed and memory, see BENCHMARKS.md
	$(PY) -m pipeline.evaluation.bench --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info
