// ycbcr_to_rgb: the block model equals model/color.ts ycbcrToRgbInt on every 24-bit input, and
// the RTL equals the model on real frame pixels (converted to YCbCr) plus corner values
// (saturating pairs included) under backpressure.
import assert from 'node:assert/strict';
import { buildYcbcrToRgb, YCBCR_TO_RGB_LATENCY } from '../../generators/blocks/ycbcr_to_rgb/index.ts';
import { ycbcrToRgbPixel, ycbcrToRgbWord } from '../../generators/blocks/ycbcr_to_rgb/model.ts';
import { rgbToYcbcrWord } from '../../generators/blocks/rgb_to_ycbcr/model.ts';
import { ycbcrToRgbInt } from '../../model/color.ts';
import { assertSimCompare } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from './rtl.ts';
import { cornerWords, realAndCornerBeats } from './color_beats.ts';

describe('ycbcr_to_rgb model', () => {
  it('equals color.ts ycbcrToRgbInt on all 2^24 inputs, clipping included', () => {
    const ref = new Uint8Array(3);
    let bad = 0, clipped = 0;
    for (let cr = 0; cr < 256; cr++)
      for (let cb = 0; cb < 256; cb++)
        for (let y = 0; y < 256; y++) {
          ycbcrToRgbInt(y, cb, cr, ref, 0);
          const [r, g, b] = ycbcrToRgbPixel(y, cb, cr);
          if (r !== ref[0] || g !== ref[1] || b !== ref[2]) bad++;
          if (r === 0 || r === 255 || b === 0 || b === 255) clipped++;
        }
    assert.equal(bad, 0);
    assert.ok(clipped > 1e6, 'both clips exercised');
    assert.throws(() => ycbcrToRgbWord(-1), /not an unsigned 24-bit/);
  });
});

describe('ycbcr_to_rgb RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean, reports its flops, no output depends on m_axis_tready', () => {
    const b = buildYcbcrToRgb();
    const e = emitToTemp(b.module, 'ycc2rgb');
    assert.deepEqual(lintProblems(e), []);
    assert.equal(b.flops, countFlops(b.module));
    for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends combinationally on m_axis_tready`);
  });

  it('synthesises with Yosys without warnings', async function () {
    if (!hasBinary('yosys')) this.skip();
    const e = emitToTemp(buildYcbcrToRgb().module, 'ycc2rgbys');
    const r = await yosysSynthCheck(e.files, e.top);
    assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
  });

  it('matches the model on real YCbCr pixels and corner values (saturating) under backpressure', async () => {
    // Real pixels as the chip sees them (rgb_to_ycbcr of a DAVIS crop), then raw corner words,
    // which include out-of-range pairs such as Y = 255 with Cr = 255 (R and G saturate).
    const beats = [...realAndCornerBeats().map((b) => ({ ...b, data: rgbToYcbcrWord(BigInt(b.data)) })), ...cornerWords().map((w) => ({ data: w, user: false, last: false }))];
    const e = emitToTemp(buildYcbcrToRgb().module, 'ycc2rgbsim');
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats },
      model: (ins) => ({ m_axis: ins.s_axis.map((b) => ({ data: ycbcrToRgbWord(BigInt(b.data)), last: b.last, user: b.user })) }),
      compare: { label: 'ycbcr_to_rgb' },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[0].cycle, 1 + YCBCR_TO_RGB_LATENCY);
    const vals = beats.map((b) => Number(ycbcrToRgbWord(BigInt(b.data))));
    assert.ok(vals.some((v) => (v & 255) === 0) && vals.some((v) => (v & 255) === 255), 'both clips reached in the RTL run');
  });
});
