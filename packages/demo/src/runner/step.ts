/** One step of a journey, as its line says it: who sends what to whom. */
export interface Step {
  /** From 1, within its journey. */
  readonly number: number;
  readonly from: string;
  readonly to: string;
  readonly action: string;
}

/** `3. browser → auth-server: sign in on the login page` */
export function stepTitle(step: Step): string {
  return `${step.number}. ${step.from} → ${step.to}: ${step.action}`;
}
