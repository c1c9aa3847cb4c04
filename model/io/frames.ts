// Frame folders: a sequence is a folder of still frames taken in file-name order;
// a dataset is a folder of sequence folders. Frames of a sequence must share one size.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ModelInputError, E } from '../errors.ts';
import type { Image } from '../image.ts';
import { IMAGE_EXTENSIONS, readImage } from './image-file.ts';

export interface Sequence {
  name: string;
  dir: string;
  /** Absolute-or-given paths of the frames, in name order. */
  frames: string[];
}

function listDir(dir: string): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new ModelInputError(E.MISSING, `frame folder not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new ModelInputError(E.MISSING, `${dir} is not a folder`);
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    throw new ModelInputError(E.UNREADABLE, `cannot list folder ${dir}: ${(e as Error).message}`);
  }
}

const isFrameName = (n: string) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()) && !n.startsWith('.');

/** The image files of one folder, in name order (may be empty). */
export function listFrames(dir: string): string[] {
  return listDir(dir)
    .filter(isFrameName)
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/**
 * `dir` holding frames → one sequence; `dir` holding sequence folders → one per
 * non-empty sub-folder, in name order. Anything else is an input error.
 */
export function listSequences(dir: string): Sequence[] {
  const own = listFrames(dir);
  if (own.length > 0) return [{ name: basename(dir.replace(/\/+$/, '')) || dir, dir, frames: own }];
  const seqs: Sequence[] = [];
  for (const n of listDir(dir)) {
    const sub = join(dir, n);
    if (n.startsWith('.') || !statSync(sub).isDirectory()) continue;
    const frames = listFrames(sub);
    if (frames.length > 0) seqs.push({ name: n, dir: sub, frames });
  }
  if (seqs.length === 0) {
    throw new ModelInputError(E.MISSING, `${dir} holds no frames (${IMAGE_EXTENSIONS.join('/')}) and no folders of frames`);
  }
  return seqs;
}

/** Throws unless width and height are multiples of `m` (protocols that tile the frame). */
export function requireMultiple(img: { width: number; height: number }, m: number, where: string, why: string): void {
  if (img.width % m !== 0 || img.height % m !== 0) {
    throw new ModelInputError(E.ODD_SIZE, `${where} is ${img.width}x${img.height}; ${why} needs width and height to be multiples of ${m}`);
  }
}

/**
 * Reads frames one at a time (a 720p sequence does not fit comfortably in memory
 * all at once), checking every frame has the size of the first.
 */
export function* readSequence(seq: Sequence, maxFrames = Infinity): Generator<{ path: string; index: number; image: Image }> {
  let first: { path: string; width: number; height: number } | undefined;
  const n = Math.min(seq.frames.length, maxFrames);
  for (let i = 0; i < n; i++) {
    const path = seq.frames[i];
    const image = readImage(path);
    if (!first) first = { path, width: image.width, height: image.height };
    else if (image.width !== first.width || image.height !== first.height) {
      throw new ModelInputError(
        E.SIZE_MISMATCH,
        `frames of sequence '${seq.name}' differ in size: ${first.path} is ${first.width}x${first.height} but ${path} is ${image.width}x${image.height}`,
      );
    }
    yield { path, index: i, image };
  }
}
