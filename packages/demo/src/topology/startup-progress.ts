/** What the demo says while it starts the services and what surrounds them. */
export interface StartupProgress {
  starting(parts: readonly string[]): void;
  ready(part: string, detail: string): void;
  /** Everything is up (or start-up gave up): the indicator is cleared. */
  finished(): void;
}

export const silentProgress: StartupProgress = { starting() {}, ready() {}, finished() {} };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Start-up progress on a stream (stderr): on a terminal, a spinner line
 * naming what is still starting, with a line per part once it is ready;
 * elsewhere (a pipe, CI) only the plain lines.
 */
export function streamProgress(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): StartupProgress {
  const waiting = new Set<string>();
  const started = performance.now();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const interactive = stream.isTTY === true;
  const clear = () => {
    if (interactive) stream.write('\r\x1b[2K');
  };
  const draw = () => {
    if (!interactive || waiting.size === 0) return;
    // One line, never wrapped: a wrapped line could not be cleared with the next frame.
    const line = `${FRAMES[frame++ % FRAMES.length]} starting ${[...waiting].join(', ')}`;
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns ?? 80) - 1))}`);
  };
  return {
    starting(parts) {
      for (const part of parts) waiting.add(part);
      if (interactive && timer === undefined) {
        timer = setInterval(draw, 80);
        timer.unref();
      }
      draw();
    },
    ready(part, detail) {
      waiting.delete(part);
      clear();
      const elapsed = ((performance.now() - started) / 1000).toFixed(1);
      stream.write(`${interactive ? '✓' : 'ready:'} ${part.padEnd(17)} ${detail}  (${elapsed} s)\n`);
      draw();
    },
    finished() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
