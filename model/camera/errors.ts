// User-facing errors of the camera golden models: bad mosaic sizes, bad parameters,
// truncated or corrupt codestreams, impossible viewports. Each carries a string
// `code` and exitCode 2 so the CLI prints the message without a stack trace.
export class CameraError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CameraError';
  }
}

export const CE = {
  /** Mosaic or plane dimensions the pipeline cannot take (not multiples of the tiling). */
  SIZE: 'E_CAM_SIZE',
  /** A parameter outside its range (quantizer, pixels per clock, focus gain...). */
  PARAM: 'E_CAM_PARAM',
  /** A codestream or container that ends before the data it promises. */
  TRUNCATED: 'E_CAM_TRUNCATED',
  /** A codestream or container whose contents are inconsistent (bad magic, CRC, code). */
  CORRUPT: 'E_CAM_CORRUPT',
  /** A viewport that does not fit the HDMI frame or is degenerate. */
  VIEWPORT: 'E_CAM_VIEWPORT',
} as const;
