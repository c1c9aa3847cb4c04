// Cycle-budget arithmetic of the capture pipeline at the sensor's pixel parallelism
// (the CMV12000 delivers 64 pixels per clock on 64 LVDS channels).
export interface CaptureMode {
  name: string;
  width: number;
  height: number;
  fps: number;
  pixelsPerClock: number;
}

export const SEED_MODES: CaptureMode[] = [
  { name: '4K 4096x3072 @ 300 fps (full readout)', width: 4096, height: 3072, fps: 300, pixelsPerClock: 64 },
  { name: '2K 2048x1088 @ 1440 fps (2x subsampled)', width: 2048, height: 1088, fps: 1440, pixelsPerClock: 64 },
];

export interface CycleBudget {
  mode: string;
  pixelsPerFrame: number;
  pixelRate: number;
  /** Clocks to move one frame's pixels at pixelsPerClock. */
  clocksPerFrame: number;
  /** The slowest pixel clock that keeps up (no overhead time). */
  minClockHz: number;
  /** At pxClockHz: clocks available per frame, and what is left for row/frame overhead. */
  clockHz: number;
  clocksAvailable: number;
  overheadClocks: number;
  utilisation: number;
  /** Compressed write rate to RAM/SSD at the given ratio. */
  compressedBytesPerSecond: number;
  rawBitsPerPixel: number;
  compressionRatio: number;
}

export function cycleBudget(m: CaptureMode, clockHz = 60e6, rawBits = 10, ratio = 5): CycleBudget {
  const pixelsPerFrame = m.width * m.height;
  const pixelRate = pixelsPerFrame * m.fps;
  const clocksPerFrame = pixelsPerFrame / m.pixelsPerClock;
  const clocksAvailable = clockHz / m.fps;
  return {
    mode: m.name,
    pixelsPerFrame,
    pixelRate,
    clocksPerFrame,
    minClockHz: pixelRate / m.pixelsPerClock,
    clockHz,
    clocksAvailable,
    overheadClocks: clocksAvailable - clocksPerFrame,
    utilisation: clocksPerFrame / clocksAvailable,
    compressedBytesPerSecond: (pixelRate * rawBits) / ratio / 8,
    rawBitsPerPixel: rawBits,
    compressionRatio: ratio,
  };
}
