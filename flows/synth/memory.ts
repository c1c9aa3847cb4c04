// Area of on-chip memories that a design keeps as SRAM macros instead of
// flip-flops. Published Sky130 figures (see ../shared/REFERENCE.md), not our
// own layout: they are planning estimates and the report marks them so.

export type MacroKind = 'openram' | 'dffram';

export interface MacroFigure {
  um2PerBit: number;
  /** Minimum clock period of the macro, ns (null: not published). */
  minPeriodNs: number | null;
  source: string;
}

export const MACRO_FIGURES: Record<MacroKind, MacroFigure> = {
  // OpenRAM sky130 2 KB single-port macro: 0.158 mm² for 16,384 bits, min period ~6.6 ns.
  openram: { um2PerBit: 0.158e6 / 16384, minPeriodNs: 6.6, source: 'OpenRAM sky130 2 KB single-port macro, 0.158 mm² (REFERENCE.md)' },
  // DFFRAM: ~26 kbit/mm² including its periphery.
  dffram: { um2PerBit: 1e6 / 26000, minPeriodNs: null, source: 'DFFRAM sky130, ~26 kbit/mm² (REFERENCE.md)' },
};

export interface MacroEstimate {
  kind: MacroKind;
  bits: number;
  area_um2: number;
  /** True when the clock is faster than the macro's published minimum period. */
  too_slow_for_clock: boolean;
  source: string;
}

export function macroEstimate(kind: MacroKind, bits: number, periodNs: number): MacroEstimate {
  const f = MACRO_FIGURES[kind];
  return {
    kind,
    bits,
    area_um2: Math.round(bits * f.um2PerBit * 1000) / 1000,
    too_slow_for_clock: f.minPeriodNs !== null && periodNs < f.minPeriodNs,
    source: f.source,
  };
}
