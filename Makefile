# The two commands of the README, and a few more.
.PHONY: setup demo test bench

setup:
	bash scripts/setup.sh

demo: setup
	bash scripts/demo.sh

test: setup
	.venv/bin/python -m pytest -q -p no:cacheprovider tests

bench: setup
	for b in bench/*.py; do .venv/bin/python $$b || exit 1; done
