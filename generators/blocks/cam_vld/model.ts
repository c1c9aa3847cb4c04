// Reference of cam_vld built on the golden decoder (model/camera/codec.ts decodeGroup over a
// model/camera/bits.ts BitReader): frame after frame, `groups` groups are decoded from the bit
// sequence of the words, the frame's bits ending with its tlast word (the first tlast word after
// the previous frame's). Continuous mode goes on at the next bit, flush mode at the next word. A
// group that runs past the tlast word (E_CAM_TRUNCATED), an impossible n (E_CAM_CORRUPT) or a
// frame whose last bit lies before its tlast word is an error: the frame is finished with zero
// groups and decoding resumes at the word after the tlast word, as the RTL does.
import { BitReader } from '../../../model/camera/bits.ts';
import { decodeGroup } from '../../../model/camera/codec.ts';
import { CameraError, CE } from '../../../model/camera/errors.ts';
import { wordsToBytes } from '../cam_vlc/model.ts';
import { CAM_VLD_ERR_BITS } from './index.ts';

export interface WordBeat {
  data: bigint;
  last: boolean;
}

export interface VldGroup {
  values: number[];
  last: boolean;
  user: boolean;
}

export type VldErr = (typeof CAM_VLD_ERR_BITS)[number];

export interface VldOut {
  groups: VldGroup[];
  errs: VldErr[];
}

export function camVldModel(p: { coefBits: number; wordBits: number }, words: readonly WordBeat[], groups: number, k: number, flush: boolean): VldOut {
  const WB = p.wordBits;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`cam_vld model: ${groups} groups per frame (need >= 1)`);
  const bytes = wordsToBytes(words.map((w) => w.data), WB);
  const out: VldGroup[] = [], errs: VldErr[] = [];
  let pos = 0; // bit position of the next frame's first bit
  let tl = 0; // first word that may be the next frame's tlast word
  for (;;) {
    while (tl < words.length && !words[tl].last) tl++;
    if (tl >= words.length) break; // no complete frame left (the RTL would wait for words)
    const end = (tl + 1) * WB;
    const r = new BitReader([{ bytes, start: pos, end }], 'cam_vld model');
    const v = new Int32Array(4);
    let bad: VldErr | undefined;
    for (let gi = 0; gi < groups; gi++) {
      if (!bad)
        try {
          decodeGroup(r, v, 0, k, p.coefBits - 1, 'cam_vld model');
        } catch (e) {
          if (!(e instanceof CameraError)) throw e;
          bad = e.code === CE.TRUNCATED ? 'trunc' : 'code';
        }
      out.push({ values: bad ? [0, 0, 0, 0] : [...v], last: gi === groups - 1, user: gi === 0 });
    }
    const at = pos + r.consumed;
    if (!bad && end - at >= WB) bad = 'long';
    if (bad) errs.push(bad);
    pos = bad || flush ? end : at;
    tl++;
  }
  return { groups: out, errs };
}
