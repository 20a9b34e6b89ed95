import { JOURNEY_NAMES, type JourneyName } from '../journeys/journey.js';
import { SERVICE_NAMES, type ServiceName } from '../topology/world.js';

export interface DemoArguments {
  /** In the order given; every journey when none is named. */
  readonly journeys: readonly JourneyName[];
  readonly trace: boolean;
  readonly stop: ServiceName | undefined;
  readonly replicas: number;
  readonly logLevel: string;
}

export type ParsedArguments = { readonly kind: 'run'; readonly arguments: DemoArguments } | { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const isJourney = (value: string): value is JourneyName => (JOURNEY_NAMES as readonly string[]).includes(value);
const isService = (value: string): value is ServiceName => (SERVICE_NAMES as readonly string[]).includes(value);

/** Reads the command line: journey names, `--trace`, `--stop <service>`, `--replicas <n>`, `--log-level <level>`, `--help`. */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  const journeys: JourneyName[] = [];
  let trace = false;
  let stop: ServiceName | undefined;
  let replicas = 1;
  let logLevel = 'silent';
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--trace':
        trace = true;
        break;
      case '--stop': {
        const service = value();
        if (service === undefined || !isService(service)) return { kind: 'error', message: `--stop needs a service: one of ${SERVICE_NAMES.join(', ')}` };
        stop = service;
        break;
      }
      case '--replicas': {
        const count = Number(value());
        if (!Number.isInteger(count) || count < 1 || count > 4) return { kind: 'error', message: '--replicas needs a number from 1 to 4' };
        replicas = count;
        break;
      }
      case '--log-level': {
        const level = value();
        if (level === undefined || !LOG_LEVELS.includes(level)) return { kind: 'error', message: `--log-level needs one of ${LOG_LEVELS.join(', ')}` };
        logLevel = level;
        break;
      }
      default:
        if (argument.startsWith('-')) return { kind: 'error', message: `unknown option ${argument}` };
        if (!isJourney(argument)) return { kind: 'error', message: `unknown journey ${argument}: one of ${JOURNEY_NAMES.join(', ')}` };
        if (!journeys.includes(argument)) journeys.push(argument);
    }
  }
  return { kind: 'run', arguments: { journeys: journeys.length > 0 ? journeys : [...JOURNEY_NAMES], trace, stop, replicas, logLevel } };
}
