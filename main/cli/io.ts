import { redact } from '../core/redact';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  /** All of standard input as text (a password given with --password-stdin). */
  readStdin: () => Promise<string>;
  /** Resolves when the person asks to stop (Ctrl-C), for long-running commands. */
  untilInterrupted: () => Promise<void>;
}

/**
 * Text as the terminal will show it, never as instructions to it: control characters (escape
 * sequences, a carriage return that rewrites a line) from stored or typed text become U+FFFD;
 * line breaks and tabs stay.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- exactly the controls are what is replaced
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

export class Output {
  private progressShown = false;
  constructor(private readonly io: CliIo) {}

  line(text = ''): void {
    this.clearProgress();
    this.io.stdout.write(`${printable(redact(text))}\n`);
  }

  json(value: unknown): void {
    this.clearProgress();
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(text: string): void {
    this.clearProgress();
    this.io.stderr.write(`${printable(redact(text))}\n`);
  }

  /** A single progress line, redrawn in place on a terminal and silent otherwise. */
  progress(text: string): void {
    if (!this.io.stderr.isTTY) return;
    this.io.stderr.write(`\r\x1b[2K${redact(text)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.io.stderr.write('\r\x1b[2K');
    this.progressShown = false;
  }
}
