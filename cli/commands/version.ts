import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';

export const command: Command = {
  name: 'version',
  summary: 'print the tool version',
  usage: '[--json]',
  options: {},
  async run() {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return { exitCode: 0, json: { version: pkg.version }, text: `screen-hdl ${pkg.version}` };
  },
};
