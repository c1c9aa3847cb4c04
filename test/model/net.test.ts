import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNetWeights, sigmoidLut, tanhLut, type NetWeights } from '../../model/net/weights.ts';
import { FloatNet } from '../../model/net/float.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { FixedNetWasm, wasmSimdAvailable } from '../../model/net/fixed-wasm.ts';
import { skipUpscale } from '../../model/net/skip.ts';
import { E } from '../../model/errors.ts';
import { FIXTURES, tempDir, throwsCode } from './helpers.ts';

interface Ref {
  weights: string;
  lr_w: number;
  lr_h: number;
  frames: number;
  lr_y8: number[][];
  float_out: number[][];
  int_out: number[][];
  int_trace?: Record<string, { shape: number[]; data: number[] }>[];
}

// Our random-weight corner-case networks, plus whatever trained-network references the
// training side commits under test/fixtures/net/ (weights path relative to the repo).
const REPO = join(FIXTURES, '..', '..');
const cases: { label: string; ref: string; weights: (r: Ref) => string }[] = [];
for (const [dir, rel] of [[join(FIXTURES, 'netcheck'), (r: Ref) => join(FIXTURES, 'netcheck', r.weights)], [join(FIXTURES, 'net'), (r: Ref) => join(REPO, r.weights)]] as const) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ref.json')).sort()) cases.push({ label: `${dir.endsWith('net') ? 'net' : 'netcheck'}/${f}`, ref: join(dir, f), weights: rel });
}

describe('model/net golden models', () => {
  it('finds the parity fixtures', () => assert.ok(cases.length >= 2, `only ${cases.length} reference files`));

  it('LUTs and worked examples of docs/fixed-point.md', () => {
    const S = sigmoidLut(), T = tanhLut();
    assert.deepEqual([-16, 0, 16, 37, 127, -128].map((q) => S[q + 128]), [69, 128, 187, 233, 255, 0]);
    assert.deepEqual([-16, 16, 37, 127, -128].map((q) => T[q + 128]), [-59, 59, 105, 127, -127]);
    const skip = skipUpscale(Uint8Array.from([10, 20, 30, 40, 10, 20, 30, 40]), 4, 2);
    assert.deepEqual(Array.from(skip.subarray(0, 6)), [10, 15, 22, 28, 35, 40]); // rows equal: 1-D (640,960,1390,...)/64 rounded
    const flat = skipUpscale(new Uint8Array(24).fill(77), 6, 4);
    assert.ok(flat.every((v) => v === 77));
  });

  for (const c of cases) {
    describe(c.label, () => {
      const ref = JSON.parse(readFileSync(c.ref, 'utf8')) as Ref;
      let net: NetWeights;
      before(() => {
        net = loadNetWeights(c.weights(ref));
      });

      it('float model matches PyTorch float64 within 1e-4', () => {
        const m = new FloatNet(net);
        let worst = 0;
        for (let t = 0; t < ref.frames; t++) {
          const out = m.run(Uint8Array.from(ref.lr_y8[t]), ref.lr_w, ref.lr_h);
          for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - ref.float_out[t][i]));
        }
        assert.ok(worst <= 1e-4, `max abs error ${worst}`);
      });

      const impls: [string, (n: NetWeights) => FixedNet | FixedNetWasm][] = [['plain JS', (n) => new FixedNet(n)]];
      if (wasmSimdAvailable()) impls.push(['wasm SIMD', (n) => new FixedNetWasm(n)]);
      for (const [label, make] of impls) {
        it(`fixed model (${label}) equals the Python integer reference on every pixel and tensor`, () => {
          const m = make(net);
          for (let t = 0; t < ref.frames; t++) {
            const trace: Record<string, Int32Array> = {};
            const out = m.run(Uint8Array.from(ref.lr_y8[t]), ref.lr_w, ref.lr_h, trace);
            const bad = ref.int_out[t].findIndex((v, i) => v !== out[i]);
            assert.equal(bad, -1, `frame ${t} pixel ${bad}: ${out[bad]} vs ${ref.int_out[t][bad]}`);
            for (const [k, v] of Object.entries(ref.int_trace?.[t] ?? {})) {
              if (k === 'res') continue; // depth-to-space of 'head', checked through 'out'
              assert.ok(trace[k], `no tensor ${k}`);
              const i = v.data.findIndex((x, j) => x !== trace[k][j]);
              assert.equal(i, -1, `frame ${t} tensor ${k}[${i}]: ${trace[k][i]} vs ${v.data[i]}`);
            }
          }
        });
      }

      it('state carries across frames and reset() restarts the sequence', () => {
        const m = new FixedNet(net);
        const f0 = Uint8Array.from(ref.lr_y8[0]);
        const a = m.run(f0, ref.lr_w, ref.lr_h);
        m.run(Uint8Array.from(ref.lr_y8[1]), ref.lr_w, ref.lr_h);
        m.reset();
        assert.deepEqual(m.run(f0, ref.lr_w, ref.lr_h), a);
      });
    });
  }

  it('head_x0: the X0 part of the head is live in the fixtures, and config/weights must agree', () => {
    const wx0 = join(FIXTURES, 'netcheck', 'rand_ps_x0.weights.json');
    const net = loadNetWeights(wx0);
    const head = net.fixed.get('head')!;
    assert.equal(head.cin, net.config.hidden_c + 4);
    // zeroing the X0 weights (input channels hidden_c..hidden_c+3) must change the output,
    // so the parity tests above really exercise the [H, X0] concatenation
    const ref = JSON.parse(readFileSync(join(FIXTURES, 'netcheck', 'rand_ps_x0.ref.json'), 'utf8')) as Ref;
    const per = head.k * head.k;
    const cut = { ...head, w: head.w.map((v, i) => (Math.floor(i / per) % head.cin >= net.config.hidden_c ? 0 : v)) };
    const outCut = new FixedNet({ ...net, fixed: new Map(net.fixed).set('head', cut) }).run(Uint8Array.from(ref.lr_y8[0]), ref.lr_w, ref.lr_h);
    assert.ok(outCut.some((v, i) => v !== ref.int_out[0][i]), 'X0 weights have no effect');
    const t = tempDir();
    try {
      const doc = JSON.parse(readFileSync(wx0, 'utf8'));
      doc.config.head_x0 = false;
      writeFileSync(join(t.dir, 'nox0.json'), JSON.stringify(doc));
      throwsCode(() => loadNetWeights(join(t.dir, 'nox0.json')), E.WEIGHTS, 'nox0.json', 'head conv 8->9 k3; config implies head conv 4->9 k3');
      doc.config.head_x0 = 'yes';
      writeFileSync(join(t.dir, 'str.json'), JSON.stringify(doc));
      throwsCode(() => loadNetWeights(join(t.dir, 'str.json')), E.WEIGHTS, 'str.json', 'head_x0 must be true or false');
      const plain = JSON.parse(readFileSync(join(FIXTURES, 'netcheck', 'rand_ps_single.weights.json'), 'utf8'));
      plain.config.head_x0 = true;
      writeFileSync(join(t.dir, 'x0.json'), JSON.stringify(plain));
      throwsCode(() => loadNetWeights(join(t.dir, 'x0.json')), E.WEIGHTS, 'x0.json', 'config implies head conv 8->9 k3');
    } finally {
      t.done();
    }
  });

  it('head_x0_bits: the head X0 part may be wider than quant_bits, nothing else may', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'netcheck', 'rand_ps_x0.weights.json'), 'utf8'));
    const head = doc.fixed.layers.find((L: { name: string }) => L.name === 'head');
    const per = head.cin * head.k * head.k, x0From = (head.cin - 4) * head.k * head.k;
    // a 4-bit network whose head H taps are within ±7 and X0 taps use ±100
    doc.config.quant_bits = doc.quant_bits = 4;
    for (const L of doc.fixed.layers) L.w = L.w.map((v: number, i: number) => (L === head && i % per >= x0From ? (v % 2 ? 100 : -100) : Math.max(-7, Math.min(7, v))));
    const t = tempDir();
    try {
      const write = (name: string) => (writeFileSync(join(t.dir, name), JSON.stringify(doc)), join(t.dir, name));
      throwsCode(() => loadNetWeights(write('nobits.json')), E.WEIGHTS, 'nobits.json', 'fixed head.w[', 'outside ±7 (4-bit)');
      doc.config.head_x0_bits = 8;
      const net = loadNetWeights(write('wide.json'));
      assert.equal(Math.abs(net.fixed.get('head')!.w[x0From]), 100);
      doc.config.head_x0_bits = 6;
      throwsCode(() => loadNetWeights(write('six.json')), E.WEIGHTS, 'six.json', 'outside ±31 (6-bit, the head\'s X0 part)');
      doc.config.head_x0_bits = 8;
      doc.fixed.layers[0].w[0] = 9; // a GRU weight: stays 4-bit
      throwsCode(() => loadNetWeights(write('gru.json')), E.WEIGHTS, 'gru.json', `fixed ${doc.fixed.layers[0].name}.w[0] = 9 outside ±7 (4-bit)`);
      doc.fixed.layers[0].w[0] = 1;
      doc.config.head_x0 = false;
      throwsCode(() => loadNetWeights(write('nox0.json')), E.WEIGHTS, 'nox0.json', 'head_x0_bits = 8 needs config.head_x0 = true');
      doc.config.head_x0 = true;
      doc.config.head_x0_bits = 2;
      throwsCode(() => loadNetWeights(write('two.json')), E.WEIGHTS, 'two.json', 'head_x0_bits must be 4, 6, 8, 10 or 12 and >= quant_bits 4');
    } finally {
      t.done();
    }
  });

  it('rejects odd frame sizes and malformed weights by name', () => {
    const w = join(FIXTURES, 'netcheck', 'rand_deconv.weights.json');
    const net = loadNetWeights(w);
    throwsCode(() => new FixedNet(net).run(new Uint8Array(15), 5, 3), E.ODD_SIZE, '5x3');
    const t = tempDir();
    try {
      const doc = JSON.parse(readFileSync(w, 'utf8'));
      doc.fixed.layers[1].w = doc.fixed.layers[1].w.slice(1);
      writeFileSync(join(t.dir, 'short.json'), JSON.stringify(doc));
      throwsCode(() => loadNetWeights(join(t.dir, 'short.json')), E.WEIGHTS, 'short.json', 'feat1.w');
      doc.format = 'other';
      writeFileSync(join(t.dir, 'fmt.json'), JSON.stringify(doc));
      throwsCode(() => loadNetWeights(join(t.dir, 'fmt.json')), E.WEIGHTS, 'not a screen-crnn-weights');
      throwsCode(() => loadNetWeights(join(t.dir, 'none.json')), E.MISSING, 'none.json');
    } finally {
      t.done();
    }
  });
});
