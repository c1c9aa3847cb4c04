// User-facing errors of the golden model (bad files, folders, sizes). They carry a
// string `code` and `exitCode` 2 so the CLI prints the message without a stack trace.
export class ModelInputError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelInputError';
  }
}

export const E = {
  MISSING: 'E_MODEL_MISSING_PATH',
  UNREADABLE: 'E_MODEL_UNREADABLE',
  FORMAT: 'E_MODEL_BAD_FORMAT',
  SIZE_MISMATCH: 'E_MODEL_SIZE_MISMATCH',
  ODD_SIZE: 'E_MODEL_BAD_SIZE',
  Y4M_HEADER: 'E_Y4M_HEADER',
  Y4M_TRUNCATED: 'E_Y4M_TRUNCATED',
  Y4M_UNSUPPORTED: 'E_Y4M_UNSUPPORTED',
  WEIGHTS: 'E_MODEL_WEIGHTS',
} as const;
