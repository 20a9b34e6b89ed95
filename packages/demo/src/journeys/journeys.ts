import { erc725Journey } from './erc725.js';
import { gropiusJourney } from './gropius.js';
import { idopteJourney } from './idopte.js';
import type { Journey, JourneyName } from './journey.js';
import { ocisJourney } from './ocis.js';
import { wireJourney } from './wire.js';

/** The five journeys, in the order the demo walks them. */
export const JOURNEYS: readonly Journey[] = [gropiusJourney, wireJourney, erc725Journey, ocisJourney, idopteJourney];

export function journeyNamed(name: JourneyName): Journey {
  const journey = JOURNEYS.find((candidate) => candidate.name === name);
  if (journey === undefined) throw new Error(`no journey ${name}`);
  return journey;
}
