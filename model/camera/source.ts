// Frames for the camera models: a still file, a folder of frames, or a folder of
// sequence folders (model/io/frames.ts), each turned into a Bayer mosaic.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { listSequences, readSequence, type Sequence } from '../io/frames.ts';
import { mosaicFromImage, type BayerMode, type Mosaic, type Transfer } from './bayer.ts';
import { ModelInputError, E } from '../errors.ts';

export function cameraSequences(path: string): Sequence[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ModelInputError(E.MISSING, `frames not found: ${path}`);
  }
  if (st.isFile()) return [{ name: basename(path), dir: path, frames: [path] }];
  return listSequences(path);
}

export function* mosaics(seq: Sequence, mode: BayerMode, transfer: Transfer, maxFrames = Infinity): Generator<{ path: string; index: number; mosaic: Mosaic }> {
  for (const { path, index, image } of readSequence(seq, maxFrames)) yield { path, index, mosaic: mosaicFromImage(image, mode, transfer, path) };
}
