import { JOURNEY_NAMES, parseArguments } from '../src/index.js';

describe('the command line', () => {
  it('runs every journey by default, or the ones named, once each, in the order given', () => {
    expect(parseArguments([])).toEqual({ kind: 'run', arguments: { journeys: [...JOURNEY_NAMES], trace: false, stop: undefined, replicas: 1, logLevel: 'silent' } });
    expect(parseArguments(['wire', 'gropius', 'wire', '--trace'])).toMatchObject({ kind: 'run', arguments: { journeys: ['wire', 'gropius'], trace: true } });
  });

  it('reads --stop, --replicas and --log-level, with their value after a space or an equals sign', () => {
    expect(parseArguments(['--stop', 'proxy', '--replicas=2', '--log-level', 'info'])).toMatchObject({
      kind: 'run',
      arguments: { stop: 'proxy', replicas: 2, logLevel: 'info' },
    });
  });

  it('says what is wrong with a bad argument', () => {
    expect(parseArguments(['--stop', 'nginx'])).toMatchObject({ kind: 'error', message: expect.stringContaining('--stop needs a service') });
    expect(parseArguments(['--replicas', 'many'])).toMatchObject({ kind: 'error', message: '--replicas needs a number from 1 to 4' });
    expect(parseArguments(['--verbose'])).toEqual({ kind: 'error', message: 'unknown option --verbose' });
    expect(parseArguments(['-h'])).toEqual({ kind: 'help' });
  });
});
