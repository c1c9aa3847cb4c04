// The list of subcommands. Each lives in cli/commands/<name>.ts and exports `command`.
import type { Command } from './command.ts';

type Loader = () => Promise<{ command: Command }>;

/** Lazy so that `screen gen` does not load the golden model, PyTorch glue, etc. */
export const commands: Record<string, { summary: string; load: Loader }> = {};

export function registerCommand(name: string, summary: string, load: Loader): void {
  commands[name] = { summary, load };
}
