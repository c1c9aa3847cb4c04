// Errors the synthesis / place-and-route flows raise for the user: a string
// `code` and an `exitCode`, so the CLI prints the message without a stack trace.

export class FlowError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2;
  constructor(code: string, message: string, exitCode: 1 | 2 = 2) {
    super(message);
    this.name = 'FlowError';
    this.code = code;
    this.exitCode = exitCode;
  }
}
