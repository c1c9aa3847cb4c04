// Decoder back end: inverse quantizer (with optional focus-assist over-multiplication of
// the high-pass subbands) and inverse DWT (vertical then horizontal per stage), either
// all the way to the mosaic or, for the HDMI preview, only stage 2 to the LL1 fields.
import { mergeFields, type BayerMode, type Fields, type Mosaic } from './bayer.ts';
import { BANDS, inverseDwt, inverseToLL1, isHighPass, type BandName, type FieldBands } from './dwt.ts';
import { CameraError, CE } from './errors.ts';
import { emptyFieldBands, invRegister, unscanBand, type BandParams, type FrameScans } from './codec.ts';

export interface DecodeOptions {
  /** Focus-assist gain for high-pass subbands in sixteenths (16 = off, 16..64). */
  focusGainQ4?: number;
  /** Subbands to reconstruct; others are left at zero (the preview needs stage 2 only). */
  bands?: readonly BandName[];
}

export function dequantizeFrame(f: FrameScans, mults: BandParams, opts: DecodeOptions = {}): FieldBands[] {
  const gain = opts.focusGainQ4 ?? 16;
  if (!Number.isInteger(gain) || gain < 16 || gain > 64) throw new CameraError(CE.PARAM, `focus-assist gain must be 16..64 sixteenths (1x..4x), got ${gain}`);
  const fields = [0, 1, 2, 3].map(() => emptyFieldBands(f.fieldWidth, f.fieldHeight));
  for (const b of opts.bands ?? BANDS) unscanBand(f.scans[b], fields, b, invRegister(mults[b], isHighPass(b) ? gain : 16));
  return fields;
}

/** Scans → mosaic (10-bit, clamped). */
export function decodeMosaic(f: FrameScans, mults: BandParams, mode: BayerMode, opts: DecodeOptions = {}): Mosaic {
  const fb = dequantizeFrame(f, mults, opts);
  const planes = fb.map((x) => inverseDwt(x)) as Fields['planes'];
  return mergeFields({ width: f.fieldWidth, height: f.fieldHeight, planes }, mode);
}

/** Scans → the four LL1 fields (half the field size), from the stage-2 codestreams only. */
export function decodeLL1(f: FrameScans, mults: BandParams, opts: DecodeOptions = {}): Fields {
  const fb = dequantizeFrame(f, mults, { ...opts, bands: ['LL2', 'HL2', 'LH2', 'HH2'] });
  return { width: f.fieldWidth >> 1, height: f.fieldHeight >> 1, planes: fb.map((x) => inverseToLL1(x)) as Fields['planes'] };
}
