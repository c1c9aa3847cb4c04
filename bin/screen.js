#!/usr/bin/env node
// Entry point of the `screen` CLI: registers the TypeScript loader (tsx) and
// hands over to cli/main.ts, so the sources run without a separate build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
