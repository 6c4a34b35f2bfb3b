#!/bin/sh
# 5-fold cross-validation over contiguous blocks of ANERcorp train (with propagation, as shipped).
#   sh experiments/cv.sh NAME [pipeline.train.ner args...]   e.g.  sh experiments/cv.sh A --context coarse
# Models go to build/cv_NAME_K; summarize with: python experiments/cv_summary.py NAME [NAME...]
name=$1; shift
for k in 0 1 2 3 4; do
  .venv/bin/python -m pipeline.train.ner --out build/cv_${name}_$k --cv-fold $k/5 --propagate 0.8 "$@" \
    > build/cv_${name}_$k.log 2>&1
done
