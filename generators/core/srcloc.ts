// Where the user's TypeScript built something: the first stack frame outside the core
// library (examples/ counts as user code), as a cwd-relative `file:line`.
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORE_DIR = dirname(fileURLToPath(import.meta.url)) + sep;
const EXAMPLES_DIR = CORE_DIR + 'examples' + sep;
const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?$/;

const libraryFiles = new Set<string>();

/**
 * Treat frames from this file (pass `import.meta.url`) as library code, like the core's own:
 * interface helpers (e.g. a stream bundle) then report their caller's line in errors.
 */
export function markLibraryFile(url: string): void {
  libraryFiles.add(url.startsWith('file://') ? fileURLToPath(url) : url);
}

/**
 * A captured source location. V8 records the frames when the Error is created but formats
 * `.stack` (with source maps) only when read, so capture is cheap and the text is computed
 * only for locations that end up in an error message.
 */
export class Loc {
  private err: Error | undefined;
  private text: string | undefined;
  constructor(err: Error) {
    this.err = err;
  }
  toString(): string {
    if (this.text === undefined) {
      this.text = locFromStack(this.err?.stack ?? '');
      this.err = undefined;
    }
    return this.text;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Capture the caller's location now, format it later (see Loc). */
export function captureLoc(): Loc {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const err = new Error();
  Error.stackTraceLimit = saved;
  return new Loc(err);
}

/** `file:line` of the first stack frame outside the core and outside marked library files. */
export function userLoc(): string {
  return captureLoc().toString();
}

function locFromStack(stack: string): string {
  for (const raw of stack.split('\n').slice(1)) {
    const m = FRAME.exec(raw.trim());
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('node:') || file.includes(`${sep}node_modules${sep}`)) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (file.startsWith(CORE_DIR) && !file.startsWith(EXAMPLES_DIR)) continue;
    if (libraryFiles.has(file)) continue;
    return `${relative(process.cwd(), file) || file}:${m[2]}`;
  }
  return '<unknown location>';
}
