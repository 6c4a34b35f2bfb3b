#!/bin/sh
# 5-fold cross-validation of the CRF ⊕ BiLSTM ensemble (two chains, one per core):
#   sh experiments/cv_ensemble.sh [BILSTM_HIDDEN] [BILSTM_EPOCHS]
# CRFs go to build/cv_A_K (the shipped CRF recipe), BiLSTMs to build/cv_bilstmH_K (fixed epochs, no selection
# on the held-out fold); then: python experiments/cv_ensemble.py --bilstm bilstmH
hidden=${1:-64}; epochs=${2:-16}
crf() { .venv/bin/python -m pipeline.train.ner --out build/cv_A_$1 --cv-fold $1/5 --context --propagate 0.8 \
          > build/cv_A_$1.log 2>&1; }
bil() { .venv/bin/python -m pipeline.train.bilstm --out build/cv_bilstm${hidden}_$1 --cv-fold $1/5 --hidden $hidden \
          --epochs $epochs --fixed-epochs --threads 1 > build/cv_bilstm${hidden}_$1.log 2>&1; }
(for k in 0 1 2 3 4; do crf $k; done; bil 3; bil 4) &
(bil 0; bil 1; bil 2) &
wait
