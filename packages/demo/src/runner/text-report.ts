import type { Journey } from '../journeys/journey.js';
import type { JourneyResult } from './journey-runner.js';
import { stepTitle, type Step } from './step.js';
import type { StepListener } from './step-runner.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function stepLine(step: Step): string {
  return `  ${step.number < 10 ? ' ' : ''}${stepTitle(step)}`;
}

/** Where a failed journey stopped, in words: `step 4 (browser → auth-server: sign in): 401 …`. */
export function failureSummary(result: JourneyResult): string {
  const failure = result.failure;
  if (failure === undefined) return '';
  const { step } = failure;
  return step === undefined
    ? `before its first step: ${failure.reason}`
    : `step ${step.number} (${step.from} → ${step.to}: ${step.action}): ${failure.reason}`;
}

/**
 * The demo's printed output: a heading per journey, one numbered line per
 * step with its key facts (or ✗ and why it failed), the Mermaid diagram
 * of a traced journey, and the closing table of results and timings.
 */
export class TextReport implements StepListener {
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  journeyStarting(journey: Journey): void {
    this.#write(`\n${journey.label} — ${journey.title}\n`);
  }

  stepPassed(step: Step, facts: readonly string[]): void {
    this.#write(`${stepLine(step)}${facts.length > 0 ? ` — ${facts.join('; ')}` : ''}\n`);
  }

  stepFailed(step: Step, reason: string): void {
    this.#write(`${stepLine(step)} ✗ ${reason}\n`);
  }

  journeyFailedOutsideSteps(result: JourneyResult): void {
    if (result.failure !== undefined && result.failure.step === undefined) this.#write(`  ✗ ${failureSummary(result)}\n`);
  }

  diagram(journey: Journey, mermaid: string): void {
    this.#write(`\n${journey.label}, as it happened over HTTP:\n\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n`);
  }

  summary(results: readonly JourneyResult[]): void {
    const rows = results.map((result) => [result.journey.name, result.passed ? 'pass' : 'FAIL', seconds(result.durationMs)]);
    const widths = [0, 1, 2].map((column) => Math.max(['journey', 'result', 'time'][column]!.length, ...rows.map((row) => row[column]!.length)));
    const format = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('   ').trimEnd();
    this.#write(`\n${format(['journey', 'result', 'time'])}\n${format(widths.map((width) => '-'.repeat(width)))}\n`);
    for (const row of rows) this.#write(`${format(row)}\n`);
    const failed = results.filter((result) => !result.passed);
    const total = seconds(results.reduce((sum, result) => sum + result.durationMs, 0));
    if (failed.length === 0) {
      this.#write(`\n${results.length === 1 ? 'The journey' : `All ${results.length} journeys`} passed in ${total}.\n`);
      return;
    }
    this.#write(`\n${failed.length} of ${results.length} ${results.length === 1 ? 'journey' : 'journeys'} failed:\n`);
    for (const result of failed) this.#write(`  ${result.journey.name} failed at ${failureSummary(result)}\n`);
  }
}
