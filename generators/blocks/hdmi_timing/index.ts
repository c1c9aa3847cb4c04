// CEA-861 video timing generator (README.md): free-running h/v scan counters, sync and
// data-enable decoded from them into registers, then a `lead`-deep delay line, so the pixel
// request strobe (de `lead` clocks early) comes straight from the first stage and every output
// is a flop. Exactly model/camera/hdmi-timing.ts syncAt (vsync edges on the hsync leading edge).
import { bool, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import type { VideoTiming } from './model.ts';

/** The timing parameters (shared with designs that embed the generator, e.g. the camera preview). */
export const HDMI_TIMING_SPECS = {
  hActive: int({ min: 1, max: 8192, default: 1920, doc: 'active pixels per line' }),
  hFront: int({ min: 1, max: 4096, default: 88, doc: 'horizontal front porch (clocks)' }),
  hSync: int({ min: 1, max: 4096, default: 44, doc: 'hsync width (clocks)' }),
  hBack: int({ min: 2, max: 4096, default: 148, doc: 'horizontal back porch (clocks); > lead' }),
  vActive: int({ min: 1, max: 8192, default: 1080, doc: 'active lines' }),
  vFront: int({ min: 1, max: 4096, default: 4, doc: 'vertical front porch (lines)' }),
  vSync: int({ min: 1, max: 4096, default: 5, doc: 'vsync width (lines)' }),
  vBack: int({ min: 1, max: 4096, default: 36, doc: 'vertical back porch (lines)' }),
  hsyncPositive: bool({ default: true, doc: 'hsync active high (CEA-861 1080p: yes)' }),
  vsyncPositive: bool({ default: true, doc: 'vsync active high (CEA-861 1080p: yes)' }),
  lead: int({ min: 1, max: 16, default: 2, doc: 'clocks the pixel request `req` runs ahead of de' }),
};

/** lead + 1 <= hBack: the delay line's reset state must sit in the back porch. */
export const hdmiLeadCheck = (p: { lead: number; hBack: number }): string | undefined =>
  p.lead + 1 <= p.hBack ? undefined : `lead = ${p.lead} needs hBack >= lead + 1 (hBack = ${p.hBack}): reset must sit in the back porch`;

export const hdmiTimingParams = defineParams('hdmi_timing', HDMI_TIMING_SPECS, [hdmiLeadCheck]);

export type HdmiTimingConfig = ReturnType<typeof hdmiTimingParams.validate>;

export interface HdmiTimingInfo {
  module: Module;
  timing: VideoTiming;
  /** Counter (and x / y output) widths. */
  hBits: number;
  vBits: number;
  flops: number;
}

export const timingOf = (p: HdmiTimingConfig): VideoTiming => ({
  h: { active: p.hActive, frontPorch: p.hFront, sync: p.hSync, backPorch: p.hBack, total: p.hActive + p.hFront + p.hSync + p.hBack },
  v: { active: p.vActive, frontPorch: p.vFront, sync: p.vSync, backPorch: p.vBack, total: p.vActive + p.vFront + p.vSync + p.vBack },
  hsyncPositive: p.hsyncPositive,
  vsyncPositive: p.vsyncPositive,
});

export function hdmiTimingFlops(p: HdmiTimingConfig): number {
  const t = timingOf(p);
  const hb = Math.max(1, ceilLog2(t.h.total)), vb = Math.max(1, ceilLog2(t.v.total));
  return hb + vb + (p.lead + 1) * (3 + hb + vb);
}

export function buildHdmiTiming(config: Partial<HdmiTimingConfig> = {}): HdmiTimingInfo {
  const p = hdmiTimingParams.validate(config);
  const t = timingOf(p);
  const H = t.h.total, V = t.v.total;
  const hb = Math.max(1, ceilLog2(H)), vb = Math.max(1, ceilLog2(V));
  const m = new Module(`hdmi_timing_${p.hActive}x${p.vActive}_h${H}_v${V}_l${p.lead}`, {
    params: { block: 'hdmi_timing', ...p },
    doc: `video timing ${p.hActive}x${p.vActive} active, ${H}x${V} total, hsync ${p.hSync} (${p.hsyncPositive ? '+' : '-'}), vsync ${p.vSync} lines (${p.vsyncPositive ? '+' : '-'}), pixel request ${p.lead} clocks ahead of de`,
  });

  // ---- scan counters: position (h, v) of the request stage, (0, 0) = first active pixel ----------
  const h = m.regInit('h_cnt', hb, 0);
  const v = m.regInit('v_cnt', vb, 0);
  const hEnd = m.wire('h_end', h.eq(H - 1));
  m.when(hEnd, () => {
    h.set(0);
    v.set(mux(v.eq(V - 1), lit(0, vb), v.add(1, vb)));
  }).otherwise(() => h.set(h.add(1, hb)));

  const hs0 = p.hActive + p.hFront;
  const vs0 = p.vActive + p.vFront;
  const ve = vs0 + p.vSync; // <= V - 1 since vBack >= 1
  const de = m.wire('de_at', h.lt(p.hActive).and(v.lt(p.vActive)));
  const hs = m.wire('hs_at', h.ge(hs0).and(h.lt(hs0 + p.hSync)));
  // vsync: from (vs0, hs0) up to, not including, (ve, hs0) in scan order.
  const vsOn = v.gt(vs0).or(v.eq(vs0).and(h.ge(hs0)));
  const vsOff = v.gt(ve).or(v.eq(ve).and(h.ge(hs0)));
  const vs = m.wire('vs_at', vsOn.and(vsOff.not()));
  const level = (e: Expr, positive: boolean): Expr => (positive ? e : e.not());

  // ---- delay line: stage j shows position (request position - 1 - j); its reset value is that
  // position's (blanking, back porch of the last line) state, so outputs are exact from clock 0.
  interface Stage {
    de: Signal;
    hs: Signal;
    vs: Signal;
    x: Signal;
    y: Signal;
  }
  const stages: Stage[] = [];
  for (let j = 0; j <= p.lead; j++) {
    const st: Stage = {
      de: m.regInit(`de_${j}`, 1, 0),
      hs: m.regInit(`hs_${j}`, 1, p.hsyncPositive ? 0 : 1),
      vs: m.regInit(`vs_${j}`, 1, p.vsyncPositive ? 0 : 1),
      x: m.regInit(`x_${j}`, hb, H - 1 - j),
      y: m.regInit(`y_${j}`, vb, V - 1),
    };
    if (j === 0) {
      st.de.set(de);
      st.hs.set(level(hs, p.hsyncPositive));
      st.vs.set(level(vs, p.vsyncPositive));
      st.x.set(h);
      st.y.set(v);
    } else {
      const pr = stages[j - 1];
      st.de.set(pr.de);
      st.hs.set(pr.hs);
      st.vs.set(pr.vs);
      st.x.set(pr.x);
      st.y.set(pr.y);
    }
    stages.push(st);
  }
  const out = stages[p.lead];
  m.output('req', 1, { doc: `pixel request: de of the clock ${p.lead} later (gates upstream reads)` }).set(stages[0].de);
  m.output('de', 1, { doc: 'data enable (active video)' }).set(out.de);
  m.output('hsync', 1, { doc: `horizontal sync (active ${p.hsyncPositive ? 'high' : 'low'})` }).set(out.hs);
  m.output('vsync', 1, { doc: `vertical sync (active ${p.vsyncPositive ? 'high' : 'low'})` }).set(out.vs);
  m.output('x', hb, { doc: 'horizontal position, 0..hTotal-1 (pixel column while de)' }).set(out.x);
  m.output('y', vb, { doc: 'vertical position, 0..vTotal-1 (pixel row while de)' }).set(out.y);
  return { module: m, timing: t, hBits: hb, vBits: vb, flops: hdmiTimingFlops(p) };
}
