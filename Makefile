# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup setup-test browser cypher-linter axe neo4j compose lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## run: install, load the sample data into the embedded store if it is empty, serve on :8000
run: setup
	$(BIN)/skillgraph demo --host 127.0.0.1 --port 8000

## browser: Debian's Chromium for the browser tests (skipped where apt-get is unavailable)
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not installed and apt-get not usable: browser tests will be skipped"; fi

## cypher-linter: Neo4j's own Cypher parser (npm), used to check every statement we send
cypher-linter:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-save --no-package-lock --engine-strict=false --loglevel=error --prefix tests/cypherlint; \
	else echo "npm not found: the Cypher lint tests will be skipped"; fi

## axe: the axe-core accessibility checker (npm) that the web app's browser tests run
axe:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-save --no-package-lock --loglevel=error --prefix tests/web/axe; \
	else echo "npm not found: the accessibility checks of the web tests will be skipped"; fi

## neo4j: the classpaths of Neo4j 5.26 Community and OpenGDS 2.13 from Maven Central (jars stay
## in ~/.m2; GPL, never copied here); the suite starts a throw-away server from them when
## NEO4J_URI is not set. The pom's pinned dependency plugin writes classpath.txt and plugins.txt.
NEO4J_POM := tests/neo4j_server/pom.xml
NEO4J_CLASSPATH := tests/neo4j_server/classpath.txt

$(NEO4J_CLASSPATH): $(NEO4J_POM)
	@if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		mvn -q -B -f $(NEO4J_POM) generate-resources; \
	else echo "mvn or java not found: the Neo4j tests will be skipped (set NEO4J_URI to use a server)"; fi

neo4j: $(NEO4J_CLASSPATH)

## compose: a compose client to validate docker-compose.yml (no container engine is needed)
compose:
	@if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; \
	else echo "no compose client and apt-get not usable: the compose file test will be skipped"; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graph ingest queries api viz bench

## test: install everything the suite needs, then run all of it
test: setup browser cypher-linter axe neo4j compose
	$(BIN)/ruff check .
	$(BIN)/mypy graph ingest queries api viz bench
	$(BIN)/python -m pytest

## bench: every benchmark (figures in docs/benchmarks.md); wrk from Debian's packages if possible
bench: setup browser
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) \
		|| echo "wrk could not be installed: the API load benchmark uses async httpx instead"
	$(BIN)/python -m bench.ingest --offers 20000
	$(BIN)/python -m bench.analyses
	$(BIN)/python -m bench.duplicates
	$(BIN)/python -m bench.sources
	$(BIN)/python -m bench.api_load
	$(BIN)/python -m bench.viz

clean:
	rm -rf $(VENV) var tests/cypherlint/node_modules tests/web/axe/node_modules $(NEO4J_CLASSPATH)
