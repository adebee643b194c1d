import { redact } from '../core/redact';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  /** Resolves when the person asks to stop (Ctrl-C), for long-running commands. */
  untilInterrupted: () => Promise<void>;
}

export class Output {
  private progressShown = false;
  constructor(private readonly io: CliIo) {}

  line(text = ''): void {
    this.clearProgress();
    this.io.stdout.write(`${redact(text)}\n`);
  }

  json(value: unknown): void {
    this.clearProgress();
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(text: string): void {
    this.clearProgress();
    this.io.stderr.write(`${redact(text)}\n`);
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

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
