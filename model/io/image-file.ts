// Still-image files (JPEG, PNG) to and from the typed Image.
// Decoders: jpeg-js and pngjs are pure JavaScript (no native build, so `npm ci` works
// on any CI box without a compiler or libjpeg/libpng headers), widely used and still
// maintained. jpeg-js upsamples 4:2:0 chroma by replication where libjpeg (Pillow)
// interpolates, so RGB differs from Pillow's decode (measured on a DAVIS frame: max 28,
// luma RMS 0.5). The evaluation derives LR and HR from the same decode, and its baseline
// scores match REFERENCE.md (Pillow-decoded) within 0.01 dB.
import { readFileSync, writeFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ModelInputError, E } from '../errors.ts';
import type { Image } from '../image.ts';

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelInputError(E.MISSING, `image file not found: ${path}`);
    throw new ModelInputError(E.UNREADABLE, `cannot read image file ${path}: ${(e as Error).message}`);
  }
}

const isPng = (b: Buffer) => b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a;
const isJpeg = (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decode PNG bytes; gray stays 1 channel, everything else becomes RGB (alpha dropped). */
export function decodePng(bytes: Buffer, where = '<buffer>'): Image {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new ModelInputError(E.UNREADABLE, `cannot decode PNG ${where}: ${(e as Error).message}`);
  }
  const { width, height } = png;
  const gray = (png as unknown as { colorType?: number }).colorType === 0;
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(width * height * channels);
  const src = png.data;
  const n = width * height;
  if (gray) for (let i = 0; i < n; i++) data[i] = src[4 * i];
  else
    for (let i = 0; i < n; i++) {
      data[3 * i] = src[4 * i];
      data[3 * i + 1] = src[4 * i + 1];
      data[3 * i + 2] = src[4 * i + 2];
    }
  return { width, height, channels, data };
}

/** Decode baseline/progressive JPEG bytes to RGB. */
export function decodeJpeg(bytes: Buffer, where = '<buffer>'): Image {
  let raw: { width: number; height: number; data: Uint8Array };
  try {
    raw = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new ModelInputError(E.UNREADABLE, `cannot decode JPEG ${where}: ${(e as Error).message}`);
  }
  const channels = raw.data.length / (raw.width * raw.height);
  if (channels !== 3) throw new ModelInputError(E.FORMAT, `JPEG ${where} decoded to ${channels} channels per pixel, expected 3`);
  return { width: raw.width, height: raw.height, channels: 3, data: raw.data };
}

/** Read a .png/.jpg/.jpeg file, recognised by its signature bytes (not the name). */
export function readImage(path: string): Image {
  const b = readBytes(path);
  if (isPng(b)) return decodePng(b, path);
  if (isJpeg(b)) return decodeJpeg(b, path);
  throw new ModelInputError(E.FORMAT, `${path} is neither PNG nor JPEG (first bytes ${b.subarray(0, 4).toString('hex') || 'none: empty file'})`);
}

export function encodePng(img: Image): Buffer {
  if (img.channels !== 1 && img.channels !== 3) throw new ModelInputError(E.FORMAT, `PNG writer takes 1 or 3 channels, got ${img.channels}`);
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const colorType = img.channels === 1 ? 0 : 2;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false } as Parameters<typeof PNG.sync.write>[1]);
}

export function writePng(path: string, img: Image): void {
  try {
    writeFileSync(path, encodePng(img));
  } catch (e) {
    if (e instanceof ModelInputError) throw e;
    throw new ModelInputError(E.UNREADABLE, `cannot write PNG ${path}: ${(e as Error).message}`);
  }
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
