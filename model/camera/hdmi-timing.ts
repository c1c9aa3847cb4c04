// CEA-861 1920x1080p30 video timing (VIC 34): 74.25 MHz pixel clock, 2200 x 1125 total,
// positive hsync and vsync. Counters: h = 0..2199 across a line, v = 0..1124 down the
// frame, both starting at the first active pixel:
//   h: active 0..1919 | front porch 1920..2007 (88) | hsync 2008..2051 (44) | back porch 2052..2199 (148)
//   v: active 0..1079 | front porch 1080..1083 (4)  | vsync lines 1084..1088 (5) | back porch 1089..1124 (36)
//   de    = h < 1920 && v < 1080
//   hsync = 2008 <= h < 2052
//   vsync rises and falls with the hsync leading edge (CEA-861 progressive): it is high
//         from (v=1084, h=2008) up to but excluding (v=1089, h=2008).
// The output pixel counter (opx_count) advances only on clocks with de inside the
// viewport; upstream reads (decoder, IDWT, scaler) are gated by it.
import type { Viewport } from './preview.ts';

export interface Timing1D {
  active: number;
  frontPorch: number;
  sync: number;
  backPorch: number;
  total: number;
}

export const CEA861_1080P30 = {
  vic: 34,
  pixelClockHz: 74_250_000,
  h: { active: 1920, frontPorch: 88, sync: 44, backPorch: 148, total: 2200 } as Timing1D,
  v: { active: 1080, frontPorch: 4, sync: 5, backPorch: 36, total: 1125 } as Timing1D,
  hsyncPositive: true,
  vsyncPositive: true,
} as const;

export const frameRate = (t = CEA861_1080P30) => t.pixelClockHz / (t.h.total * t.v.total);

export interface SyncState {
  de: boolean;
  hsync: boolean;
  vsync: boolean;
}

export function syncAt(h: number, v: number, t = CEA861_1080P30): SyncState {
  const hs0 = t.h.active + t.h.frontPorch;
  const vs0 = t.v.active + t.v.frontPorch;
  const pos = v * t.h.total + h;
  return {
    de: h < t.h.active && v < t.v.active,
    hsync: h >= hs0 && h < hs0 + t.h.sync,
    vsync: pos >= vs0 * t.h.total + hs0 && pos < (vs0 + t.v.sync) * t.h.total + hs0,
  };
}

export interface TimingEvent {
  v: number;
  h: number;
  signal: 'de' | 'hsync' | 'vsync';
  level: 0 | 1;
}

/** Every edge of one frame, in scan order (the clock where the new level first holds). */
export function frameEvents(t = CEA861_1080P30): TimingEvent[] {
  const ev: TimingEvent[] = [];
  const hs0 = t.h.active + t.h.frontPorch;
  const vs0 = t.v.active + t.v.frontPorch;
  for (let v = 0; v < t.v.total; v++) {
    if (v < t.v.active) ev.push({ v, h: 0, signal: 'de', level: 1 }, { v, h: t.h.active, signal: 'de', level: 0 });
    ev.push({ v, h: hs0, signal: 'hsync', level: 1 });
    if (v === vs0) ev.push({ v, h: hs0, signal: 'vsync', level: 1 });
    if (v === vs0 + t.v.sync) ev.push({ v, h: hs0, signal: 'vsync', level: 0 });
    ev.push({ v, h: hs0 + t.h.sync, signal: 'hsync', level: 0 });
  }
  return ev;
}

/**
 * Walks one frame clock by clock: the output pixel counter advances where de is high and
 * (h, v) is inside the viewport. Returns how often, and the first and last clock
 * (v * h.total + h) it does, which sets the upstream decode window after VSYNC.
 */
export function opxSchedule(vp: Viewport, t = CEA861_1080P30): { advances: number; firstClock: number; lastClock: number } {
  let advances = 0, firstClock = -1, lastClock = -1;
  for (let v = 0; v < t.v.total; v++)
    for (let h = 0; h < t.h.total; h++) {
      if (!syncAt(h, v, t).de || h < vp.x || h >= vp.x + vp.width || v < vp.y || v >= vp.y + vp.height) continue;
      const clk = v * t.h.total + h;
      if (firstClock < 0) firstClock = clk;
      lastClock = clk;
      advances++;
    }
  return { advances, firstClock, lastClock };
}
