import type { StepRunner } from '../runner/step-runner.js';
import type { DemoWorld } from '../topology/world.js';

export const JOURNEY_NAMES = ['gropius', 'wire', 'erc725', 'ocis', 'idopte'] as const;
export type JourneyName = (typeof JOURNEY_NAMES)[number];

/** One of the seeds' flows, walked end to end against the running services. */
export interface Journey {
  readonly name: JourneyName;
  /** The seed's own name for it: `Gropius`, `Wire`. */
  readonly label: string;
  /** What it shows, in a line. */
  readonly title: string;
  run(steps: StepRunner, world: DemoWorld): Promise<void>;
}
