import type { Journey } from '../journeys/journey.js';
import type { DemoWorld } from '../topology/world.js';
import type { Step } from './step.js';
import { StepFailed, StepRunner, type StepListener } from './step-runner.js';

export interface JourneyResult {
  readonly journey: Journey;
  readonly passed: boolean;
  readonly durationMs: number;
  /** The step it stopped at, and why (absent when it passed). */
  readonly failure?: { readonly step: Step | undefined; readonly reason: string };
}

/** Walks one journey and says how it went; a failure is a result, never a crash. */
export async function runJourney(journey: Journey, world: DemoWorld, listener: StepListener): Promise<JourneyResult> {
  const started = performance.now();
  const done = (failure?: JourneyResult['failure']): JourneyResult => ({
    journey,
    passed: failure === undefined,
    durationMs: performance.now() - started,
    ...(failure && { failure }),
  });
  try {
    await journey.run(new StepRunner(listener), world);
    return done();
  } catch (error) {
    if (error instanceof StepFailed) return done({ step: error.step, reason: error.reason });
    // Outside any step: the journey's own set-up went wrong.
    return done({ step: undefined, reason: error instanceof Error ? error.message : String(error) });
  }
}
