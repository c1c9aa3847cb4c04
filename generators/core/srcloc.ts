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

/** `file:line` of the first stack frame outside the core and outside marked library files. */
export function userLoc(): string {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
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
