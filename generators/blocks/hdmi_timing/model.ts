// Cycle model of the hdmi_timing block: what its outputs show on each clock after reset, from
// the golden CEA-861 model (model/camera/hdmi-timing.ts syncAt). The block's counters run
// `lead` + 1 clocks ahead of its outputs, so output clock c shows scan position c - lead - 1
// (mod the frame) and the pixel request at clock c is de of clock c + lead.
import { CEA861_1080P30, syncAt, type Timing1D } from '../../../model/camera/hdmi-timing.ts';

export interface VideoTiming {
  h: Timing1D;
  v: Timing1D;
  hsyncPositive: boolean;
  vsyncPositive: boolean;
}

export const TIMING_1080P30: VideoTiming = { h: CEA861_1080P30.h, v: CEA861_1080P30.v, hsyncPositive: CEA861_1080P30.hsyncPositive, vsyncPositive: CEA861_1080P30.vsyncPositive };

export interface TimingOut {
  hsync: boolean;
  vsync: boolean;
  de: boolean;
  x: number;
  y: number;
  req: boolean;
}

/** Scan position (h, v) shown on output clock `cycle` (0 = first clock after reset). */
export function positionAt(t: VideoTiming, lead: number, cycle: number): { h: number; v: number } {
  const n = t.h.total * t.v.total;
  const p = (((cycle - lead - 1) % n) + n) % n;
  return { h: p % t.h.total, v: Math.floor(p / t.h.total) };
}

export function timingAt(t: VideoTiming, lead: number, cycle: number): TimingOut {
  const golden = { ...CEA861_1080P30, h: t.h, v: t.v };
  const { h, v } = positionAt(t, lead, cycle);
  const s = syncAt(h, v, golden);
  const ahead = positionAt(t, lead, cycle + lead);
  return { hsync: s.hsync === t.hsyncPositive, vsync: s.vsync === t.vsyncPositive, de: s.de, x: h, y: v, req: syncAt(ahead.h, ahead.v, golden).de };
}
