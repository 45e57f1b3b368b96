"""Train one fastText supervised model, in a process of its own.

fastText 0.9.x builds sometimes raise ``Encountered NaN`` when a process trains more than once
(uninitialised memory; STACK.md), so ``classifier.train_quality_classifier`` runs this file as a
child process: ``python _train_fasttext.py TRAIN_FILE OUTPUT_FILE PARAMS_JSON``.
"""

import json
import sys


def main() -> int:
    train_file, output_file, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    import fasttext

    model = fasttext.train_supervised(input=train_file, verbose=0, **params)
    model.save_model(output_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
