// `screen` CLI dispatcher: thin glue over generators/, model/, sim/ and flows/.
import { commands } from './registry.ts';
import './commands/index.ts';
import { helpText, parseCommandArgs, type CommandContext } from './command.ts';

function topHelp(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'screen — TypeScript hardware generator for a CRNN video super-resolution chip',
    '',
    'usage: screen <command> [options]    (screen <command> --help for its options)',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n].summary}`),
    '',
    'Every command takes --json (one JSON document on stdout) and exits 0 ok, 1 check failed, 2 bad usage/input.',
  ].join('\n');
}

/** Errors meant for users carry a string `code` and an `exitCode`; anything else is a bug. */
function isUserError(e: unknown): e is Error & { code: string; exitCode: number } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { exitCode?: unknown }).exitCode === 'number';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp() + '\n');
    return name ? 0 : 2;
  }
  const entry = commands[name];
  const json = rest.includes('--json');
  if (!entry) {
    const msg = `unknown command '${name}'. Commands: ${Object.keys(commands).sort().join(', ')}`;
    if (json) process.stdout.write(JSON.stringify({ error: { code: 'E_USAGE', message: msg } }) + '\n');
    process.stderr.write(`screen: ${msg}\n`);
    return 2;
  }
  try {
    const { command } = await entry.load();
    const parsed = parseCommandArgs(command, rest);
    if (parsed.values.help) {
      process.stdout.write(helpText(command) + '\n');
      return 0;
    }
    const ctx: CommandContext = {
      opts: parsed.values as CommandContext['opts'],
      positionals: parsed.positionals,
      json: Boolean(parsed.values.json),
      log: (msg) => process.stderr.write(msg + '\n'),
    };
    const res = await command.run(ctx);
    if (ctx.json) process.stdout.write(JSON.stringify(res.json, null, 2) + '\n');
    else if (res.text) process.stdout.write(res.text + '\n');
    return res.exitCode;
  } catch (e) {
    if (isUserError(e)) {
      if (json) process.stdout.write(JSON.stringify({ error: { code: e.code, message: e.message } }, null, 2) + '\n');
      process.stderr.write(`screen ${name}: error ${e.code}: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`screen ${name}: internal error (a bug, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}
