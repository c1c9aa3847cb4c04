// Real video frames as AXI4-Stream video beats (the UG934 convention): pixels in raster order,
// tuser = 1 on the first beat of a frame (start of frame), tlast = 1 on the last beat of each
// line (end of line). Several pixels may share a beat (pixel 0 in the low bits), and a pixel's
// channels are packed channel 0 lowest (RGB -> r | g << 8 | b << 16). Decoding is model/io's.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rgbToYcbcrInt } from '../model/color.ts';
import { crop, type Image } from '../model/image.ts';
import { readImage } from '../model/io/image-file.ts';
import { SimInputError } from './errors.ts';
import type { Beat, BeatIn } from './types.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The shared DAVIS 480p frames (854x480 JPEGs), ../shared from the repo root. */
export const DAVIS_ROOT = resolve(HERE, '..', '..', 'shared', 'data', 'davis480p');

export interface PackOptions {
  /** Pixels per beat (default 1); the frame width must be a multiple. */
  pixelsPerBeat?: number;
}

/** Sequence names of a DAVIS split, sorted. */
export function davisSequences(split: 'train' | 'val' = 'val', root = DAVIS_ROOT): string[] {
  const dir = join(root, split);
  if (!existsSync(dir)) throw new SimInputError(`DAVIS split folder not found: ${dir}`);
  return readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
}

/** Path of frame `index` (NNNNN.jpg) of a DAVIS sequence; throws naming the path if absent. */
export function davisFramePath(seq: string, index: number, split: 'train' | 'val' = 'val', root = DAVIS_ROOT): string {
  const p = join(root, split, seq, `${String(index).padStart(5, '0')}.jpg`);
  if (!existsSync(p)) throw new SimInputError(`DAVIS frame not found: ${p}`);
  return p;
}

/**
 * Loads a still (JPEG/PNG) as 8-bit luma (BT.601 integer, as the chip's input converter) or RGB,
 * optionally cropped to a window so tests can simulate a small real region.
 */
export function loadFrame(path: string, opts: { format?: 'y' | 'rgb'; crop?: { x: number; y: number; width: number; height: number } } = {}): Image {
  let img = readImage(path);
  if (opts.crop) img = crop(img, opts.crop.x, opts.crop.y, opts.crop.width, opts.crop.height);
  if ((opts.format ?? 'y') === 'rgb') return img;
  if (img.channels === 1) return img;
  return { width: img.width, height: img.height, channels: 1, data: rgbToYcbcrInt(img).y };
}

/** One frame as video beats; see the file comment for packing and tlast/tuser. */
export function frameToBeats(img: Image, opts: PackOptions = {}): BeatIn[] {
  const ppb = opts.pixelsPerBeat ?? 1;
  if (!Number.isInteger(ppb) || ppb < 1 || img.width % ppb !== 0)
    throw new SimInputError(`frame width ${img.width} is not a multiple of pixelsPerBeat ${ppb}`);
  const pixBits = 8 * img.channels;
  const beats: BeatIn[] = [];
  const perLine = img.width / ppb;
  for (let y = 0; y < img.height; y++) {
    for (let bx = 0; bx < perLine; bx++) {
      const o0 = (y * img.width + bx * ppb) * img.channels;
      let data: bigint | number;
      if (pixBits * ppb <= 32) {
        // Fits a double exactly: skip BigInt (a 720p frame is ~1M beats).
        data = 0;
        for (let j = pixBits * ppb / 8 - 1; j >= 0; j--) data = data * 256 + img.data[o0 + j];
      } else {
        data = 0n;
        for (let j = pixBits * ppb / 8 - 1; j >= 0; j--) data = (data << 8n) | BigInt(img.data[o0 + j]);
      }
      beats.push({ data, last: bx === perLine - 1, user: y === 0 && bx === 0 ? 1n : 0n });
    }
  }
  return beats;
}

/** Several frames back to back (each starts with tuser = 1). */
export function framesToBeats(imgs: Image[], opts: PackOptions = {}): BeatIn[] {
  return imgs.flatMap((img) => frameToBeats(img, opts));
}

/**
 * Unpacks beats of one frame back into an image, checking the video framing (tuser on the first
 * beat only, tlast exactly at line ends) and naming the first beat that breaks it.
 */
export function beatsToFrame(beats: readonly (Beat | BeatIn)[], width: number, height: number, channels: number, opts: PackOptions = {}): Image {
  const ppb = opts.pixelsPerBeat ?? 1;
  const perLine = width / ppb;
  if (!Number.isInteger(perLine)) throw new SimInputError(`frame width ${width} is not a multiple of pixelsPerBeat ${ppb}`);
  if (beats.length !== perLine * height)
    throw new SimInputError(`expected ${perLine * height} beats for a ${width}x${height} frame at ${ppb} pixel(s)/beat, got ${beats.length}`);
  const data = new Uint8Array(width * height * channels);
  beats.forEach((b, i) => {
    const x0 = (i % perLine) * ppb;
    const y = Math.floor(i / perLine);
    const sof = BigInt(b.user ?? 0) !== 0n;
    if (sof !== (i === 0)) throw new SimInputError(`beat ${i} (x=${x0}, y=${y}): tuser=${sof ? 1 : 0}, expected ${i === 0 ? 1 : 0} (start of frame)`);
    const eol = !!b.last;
    if (eol !== (i % perLine === perLine - 1)) throw new SimInputError(`beat ${i} (x=${x0}, y=${y}): tlast=${eol ? 1 : 0}, expected ${eol ? 0 : 1} (end of line)`);
    let v = BigInt(b.data);
    for (let k = 0; k < ppb; k++)
      for (let c = 0; c < channels; c++) {
        data[(y * width + x0 + k) * channels + c] = Number(v & 0xffn);
        v >>= 8n;
      }
  });
  return { width, height, channels, data };
}
