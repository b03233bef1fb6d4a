# The two commands of the README: `make serve` and `make test`. Each installs what it
# needs first (a virtualenv on Python >= 3.13 with the locked dependencies).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The supergraph tooling (federation composition) comes from npm, pinned by its lock file.
NODE_STAMP := deploy/supergraph/node_modules/.installed-stamp
# GraphiQL's browser files, served by the service itself (no CDN), and playwright-core
# for the page's browser test; pinned by web/graphiql's lock file.
GRAPHIQL_STAMP := web/graphiql/node_modules/.installed-stamp
# graphql-js for the benchmark's graphql-js target; pinned by bench/graphqljs's lock file.
GRAPHQLJS_STAMP := bench/graphqljs/node_modules/.installed-stamp

.PHONY: install browser serve db token test lint schema supergraph supergraph-up bench clean

# A development-only signing key, so that `make token` can sign tokens `make serve` accepts.
# Never used in production: there EDUGRAPH_ENV=production refuses HS256 tokens altogether.
serve token: export EDUGRAPH_JWT_SECRET ?= edugraph-local-development-secret-do-not-deploy

install: $(STAMP) $(NODE_STAMP) $(GRAPHIQL_STAMP) $(GRAPHQLJS_STAMP)

$(NODE_STAMP): deploy/supergraph/package.json deploy/supergraph/package-lock.json
	npm ci --prefix deploy/supergraph --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

$(GRAPHIQL_STAMP): web/graphiql/package.json web/graphiql/package-lock.json
	npm ci --prefix web/graphiql --no-audit --no-fund --loglevel=error
	@touch $(GRAPHIQL_STAMP)

$(GRAPHQLJS_STAMP): bench/graphqljs/package.json bench/graphqljs/package-lock.json
	npm ci --prefix bench/graphqljs --no-audit --no-fund --loglevel=error
	@touch $(GRAPHQLJS_STAMP)

# The browser the GraphiQL test drives: Debian's Chromium, added when missing (apt).
browser:
	@scripts/install-chromium

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || "$$(scripts/find-python)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

serve: install
	$(BIN)/edugraph serve

db: install
	$(BIN)/edugraph db --seed

token: install
	@$(BIN)/edugraph token --role platform_admin --subject developer

test: install browser
	$(BIN)/ruff check edugraph tests examples bench
	$(BIN)/ruff format --check edugraph tests examples bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check edugraph tests examples bench
	$(BIN)/ruff format --check edugraph tests examples bench
	$(BIN)/mypy

schema: install
	$(BIN)/edugraph export-schema --output schema.graphql
	$(BIN)/python examples/partner-jiangxi/partner_jiangxi.py export-schema > examples/partner-jiangxi/schema.graphql

supergraph: schema
	node deploy/supergraph/compose.mjs

supergraph-up: install
	deploy/supergraph/up.sh

# The benchmark's chart needs matplotlib: the optional `bench` extra, installed only here.
BENCH_STAMP := $(VENV)/.bench-stamp
# The run committed in bench/results/: the full sweep at 0.002, then 0.001, 0.01 and 0.1 at one
# client; about 20 minutes on a 2-core machine, 5 of them seeding 0.1 (python -m bench --help).
BENCH_ARGS ?= --scales 0.002,0.001,0.01,0.1

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .edugraph-data .pytest_cache .mypy_cache .ruff_cache
