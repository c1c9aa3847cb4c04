# Thin wrapper over the npm scripts; the CLI (`npx screen --help`) is the real interface.
.PHONY: all install gen sim synth pnr test test-full bench demo typecheck
all: test
install: ; npm ci
gen: ; npm run gen
sim: ; npm run sim
synth: ; npm run synth
pnr: ; npm run pnr
test: ; npm test
test-full: ; npm run test:full
bench: ; npm run bench
demo: ; npm run demo
typecheck: ; npm run typecheck
