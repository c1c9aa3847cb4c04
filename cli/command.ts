// The contract every `screen` subcommand follows, so --help, --json and exit codes
// behave the same everywhere:
//   exit 0 = ok, 1 = a check failed, 2 = bad usage or bad input.
// In --json mode exactly one JSON document goes to stdout; progress and logs go to stderr.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** One line for --help. */
  help: string;
  /** Placeholder shown in --help, e.g. "DIR". */
  arg?: string;
};

export interface CommandContext {
  /** Parsed options (strings and booleans as given; commands convert and validate). */
  opts: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  /** Log to stderr (never stdout, so --json output stays one document). */
  log: (msg: string) => void;
}

export interface CommandResult {
  exitCode: 0 | 1 | 2;
  /** The JSON document printed with --json. */
  json: unknown;
  /** Human-readable text printed without --json. */
  text: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `screen <name>`, e.g. "[options] <in> <out>". */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Extra paragraphs for --help. */
  details?: string;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** An error meant for the user: printed as its message, no stack trace. */
export class UsageError extends Error {
  readonly code = 'E_USAGE';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function helpText(cmd: Command): string {
  const lines = [`screen ${cmd.name} — ${cmd.summary}`, '', `usage: screen ${cmd.name} ${cmd.usage}`, '', 'options:'];
  const all: Record<string, OptionSpec> = {
    ...cmd.options,
    json: { type: 'boolean', help: 'print one JSON document on stdout (logs go to stderr)' },
    help: { type: 'boolean', short: 'h', help: 'show this help' },
  };
  for (const [name, o] of Object.entries(all)) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.arg ?? 'value'}>` : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    lines.push(`  ${flag.padEnd(30)} ${o.help}${def}`);
  }
  if (cmd.details) lines.push('', cmd.details.trim());
  lines.push('', 'exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input');
  return lines.join('\n');
}

export function parseCommandArgs(cmd: Command, argv: string[]) {
  const options: NonNullable<ParseArgsConfig['options']> = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(cmd.options)) {
    const spec: Record<string, unknown> = { type: o.type };
    if (o.short) spec.short = o.short;
    if (o.multiple) spec.multiple = true;
    if (o.default !== undefined) spec.default = o.default;
    options[name] = spec as unknown as NonNullable<ParseArgsConfig["options"]>[string];
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}\nRun 'screen ${cmd.name} --help' for the options.`);
  }
}

/** Parse an integer option with a range check; throws UsageError naming the flag. */
export function intOption(opts: CommandContext['opts'], name: string, def: number, min: number, max: number): number {
  const v = opts[name];
  if (v === undefined) return def;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be an integer, got '${String(v)}'`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}

/** Parse a number option with a range check. */
export function numOption(opts: CommandContext['opts'], name: string, def: number, min: number, max: number): number {
  const v = opts[name];
  if (v === undefined) return def;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`);
  if (n < min || n > max) throw new UsageError(`--${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}

export function stringOption(opts: CommandContext['opts'], name: string, def?: string): string | undefined {
  const v = opts[name];
  if (v === undefined) return def;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
  return v;
}

export function choiceOption<T extends string>(opts: CommandContext['opts'], name: string, def: T, choices: readonly T[]): T {
  const v = stringOption(opts, name, def)!;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${v}'`);
  return v as T;
}
