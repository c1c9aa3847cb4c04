// Shared input beats of the colour-conversion block tests (rgb_to_ycbcr, ycbcr_to_rgb): real
// frame pixels plus corner values.
import { davisFramePath, davisSequences, frameToBeats, loadFrame, type BeatIn } from '../../sim/index.ts';

/** Corner inputs: every channel at 0, 1, 127, 128, 254, 255 in all combinations (216 words). */
export function cornerWords(): number[] {
  const v = [0, 1, 127, 128, 254, 255];
  const out: number[] = [];
  for (const a of v) for (const b of v) for (const c of v) out.push(a | (b << 8) | (c << 16));
  return out;
}

/** A real 48x32 RGB crop as beats (R 7:0, G 15:8, B 23:16; tuser/tlast as video), then the corners. */
export function realAndCornerBeats(): BeatIn[] {
  const img = loadFrame(davisFramePath(davisSequences('val')[2], 0), { format: 'rgb', crop: { x: 400, y: 200, width: 48, height: 32 } });
  return [...frameToBeats(img), ...cornerWords().map((w, i) => ({ data: w, user: false, last: i % 36 === 35 }))];
}
