import { actingAs } from '../trace/participants.js';
import { failureReason } from './failure-reason.js';
import { stepTitle, type Step } from './step.js';

/** Adds a key fact to the step's line: a claim, a certificate's subject, a UUID. */
export type NoteFact = (fact: string) => void;

/** Where step outcomes go (the printed lines, a test's list). */
export interface StepListener {
  /** Before the step's work starts (a trace marks it; tests switch replicas). */
  stepStarting?(step: Step): void;
  stepPassed(step: Step, facts: readonly string[]): void;
  stepFailed(step: Step, reason: string): void;
}

/** The step a journey stopped at, and why. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
  constructor(
    readonly step: Step,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`step ${stepTitle(step)}: ${reason}`, options);
  }
}

/**
 * Runs a journey's steps one after the other, numbering them. Each step's
 * work runs as its sender, so the exchanges it makes are attributed to
 * it; the first step that throws ends the journey with `StepFailed`.
 */
export class StepRunner {
  readonly #listener: StepListener;
  #count = 0;

  constructor(listener: StepListener) {
    this.#listener = listener;
  }

  async run<T>(from: string, to: string, action: string, work: (note: NoteFact) => Promise<T>): Promise<T> {
    const step: Step = { number: ++this.#count, from, to, action };
    this.#listener.stepStarting?.(step);
    const facts: string[] = [];
    let value: T;
    try {
      value = await actingAs(from, () => work((fact) => facts.push(fact)));
    } catch (error) {
      const reason = failureReason(error);
      this.#listener.stepFailed(step, reason);
      throw new StepFailed(step, reason, { cause: error });
    }
    this.#listener.stepPassed(step, facts);
    return value;
  }
}
