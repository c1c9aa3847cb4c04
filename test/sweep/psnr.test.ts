import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { netKnobs } from '../../generators/designs/upscaler/config.ts';
import { matchQuality, readPsnrFile, readPsnrFiles, trainedNets } from '../../flows/sweep/psnr.ts';
import { useScratch } from './helpers.ts';

const cfg: Record<string, unknown> = { name: 'n', feat_c: [16, 16], feat_k: 3, n_gcr: 1, hidden_c: 12, gate_k: 1, cand_k: 1, head_k: 3, upsample_mode: 'pixelshuffle', deconv_k: 5, quant_bits: 8, res_gain: 64 };
const weightsDoc = (config: Record<string, unknown>, single = false) => JSON.stringify({ format: 'screen-crnn-weights', version: 1, name: 'x', config, single_frame: single });

describe('sweep PSNR lookup', () => {
  const s = useScratch('psnr');

  it("reads 'screen eval --json' output: the fixed-point mean per weights file", () => {
    const p = join(s.dir, 'eval.json');
    writeFileSync(p, JSON.stringify({ mean: { psnr_y: { bicubic: 35.9, float: 36.2, fixed: 36.1, single_frame: 35.5 } }, weights: { float: 'weights/a.json', fixed: 'weights/a.json', single_frame: 'weights/a_single.json' } }));
    const m = readPsnrFile(p);
    assert.equal(m.get('a')?.psnr_y_db, 36.1);
    assert.match(m.get('a')!.source, /mean\.psnr_y\.fixed/);
    assert.equal(m.get('a_single')?.psnr_y_db, 35.5);
    assert.equal(m.size, 2);
  });

  it('reads a plain { weights: dB } map and rejects non-numbers naming them', () => {
    const p = join(s.dir, 'map.json');
    writeFileSync(p, JSON.stringify({ a: 36.0, b: 35.0 }));
    const q = join(s.dir, 'map2.json');
    writeFileSync(q, JSON.stringify({ a: 37.0 }));
    assert.equal(readPsnrFiles([p, q]).get('a')?.psnr_y_db, 37.0, 'a later file wins');
    const bad = join(s.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ a: 'high', b: 35 }));
    assert.throws(() => readPsnrFile(bad), (e: Error & { exitCode: number }) => e.exitCode === 2 && /'a' are not numbers/.test(e.message) && e.message.includes(bad));
    assert.throws(() => readPsnrFile(join(s.dir, 'none.json')), /cannot read PSNR results/);
  });

  it('matches only recurrent weights with exactly the same network knobs', () => {
    const dir = join(s.dir, 'weights');
    mkdirSync(dir);
    writeFileSync(join(dir, 'same.json'), weightsDoc(cfg));
    writeFileSync(join(dir, 'same2.json'), weightsDoc({ ...cfg, name: 'other-run', res_gain: 32 }));
    writeFileSync(join(dir, 'wide.json'), weightsDoc({ ...cfg, hidden_c: 16 }));
    writeFileSync(join(dir, 'single.json'), weightsDoc(cfg, true));
    writeFileSync(join(dir, 'linear.json'), JSON.stringify({ name: 'linear_6x6', taps: 6 }));
    const nets = trainedNets(dir);
    assert.deepEqual(nets.map((n) => n.name), ['same', 'same2', 'wide']);
    const psnr = new Map([['same', { psnr_y_db: 36.0, source: 'f' }], ['same2', { psnr_y_db: 36.3, source: 'g' }], ['single', { psnr_y_db: 40, source: 'h' }]]);
    const q = matchQuality(netKnobs(cfg), nets, psnr);
    assert.deepEqual(q.weights, ['same', 'same2']);
    assert.equal(q.psnr?.weights, 'same2', 'the best measured of the matching networks');
    assert.equal(q.psnr?.psnr_y_db, 36.3);
    const q4 = matchQuality(netKnobs({ ...cfg, quant_bits: 4 }), nets, psnr);
    assert.deepEqual(q4, { weights: [], psnr: null });
    const wide = matchQuality(netKnobs({ ...cfg, hidden_c: 16 }), nets, psnr);
    assert.deepEqual(wide.weights, ['wide']);
    assert.equal(wide.psnr, null, 'matched but never measured: no PSNR');
  });
});
