// A tiny "interface library" for the markLibraryFile test: errors it triggers must point
// at its caller, not at this file.
import { markLibraryFile, type Module, type Signal } from '../../generators/core/index.ts';

markLibraryFile(import.meta.url);

/** Declares `<prefix>_data` (8 bits) and drives it from `src`, whatever its width. */
export function driveBus(m: Module, prefix: string, src: Signal): Signal {
  const w = m.wire(`${prefix}_data`, 8);
  w.set(src);
  return w;
}
