// Write a design's Verilog files to a folder (the only core code that touches the disk).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitVerilog, type Design } from './elaborate.ts';

/** Writes `<module>.v` files into `dir` (created if needed); returns the paths, children first. */
export function writeVerilog(design: Design, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const [file, text] of emitVerilog(design)) {
    const p = join(dir, file);
    writeFileSync(p, text);
    paths.push(p);
  }
  return paths;
}
