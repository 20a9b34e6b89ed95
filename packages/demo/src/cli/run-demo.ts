import { journeyNamed } from '../journeys/journeys.js';
import { runJourney, type JourneyResult } from '../runner/journey-runner.js';
import type { StepListener } from '../runner/step-runner.js';
import { TextReport } from '../runner/text-report.js';
import { startTopology, type Topology } from '../topology/topology.js';
import { streamProgress } from '../topology/startup-progress.js';
import { ExchangeRecorder } from '../trace/exchange-recorder.js';
import { sequenceDiagram } from '../trace/sequence-diagram.js';
import type { DemoArguments } from './arguments.js';

export interface DemoStreams {
  /** The journeys' lines, the diagrams and the closing table. */
  readonly stdout: NodeJS.WritableStream;
  /** Start-up progress and notices. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface DemoRun {
  /** 0 when every journey passed, 1 when one failed, 2 when the services could not start. */
  readonly exitCode: Promise<number>;
  /** Stops early (Ctrl-C): the services are closed, and `exitCode` is 130. */
  interrupt(): void;
}

/**
 * The demo: start everything, walk the chosen journeys one after the
 * other (a failed journey does not stop the next), print the closing
 * table, close everything.
 */
export function runDemo(args: DemoArguments, streams: DemoStreams, env: NodeJS.ProcessEnv = process.env): DemoRun {
  /** The start-up under way or done: an interruption waits for it, so that what it started is closed too. */
  let starting: Promise<Topology> | undefined;
  let stopped = false;
  let interrupted: ((code: number) => void) | undefined;
  const interruption = new Promise<number>((resolve) => {
    interrupted = resolve;
  });

  const walk = async (): Promise<number> => {
    const redisUrl = env.REDIS_URL || undefined;
    if (args.replicas > 1 && redisUrl === undefined) {
      streams.stderr.write('demo: --replicas needs REDIS_URL: replicas share their state through Redis\n');
      return 2;
    }
    streams.stderr.write(`Starting Sigil: six services${args.replicas > 1 ? ` × ${args.replicas} replicas` : ''}, ${redisUrl ? 'state in Redis' : 'in-memory stores'}\n`);
    let topology: Topology;
    try {
      starting = startTopology({ replicas: args.replicas, redisUrl, logLevel: args.logLevel, progress: streamProgress(streams.stderr) });
      topology = await starting;
    } catch (error) {
      streams.stderr.write(`demo: the services could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    if (args.stop !== undefined) {
      await topology.stop(args.stop);
      streams.stderr.write(`stopped ${args.stop} (--stop): the journeys that need it will fail\n`);
    }
    // Once interrupted, the journey under way may still fail against closed services: that is not news.
    const report = new TextReport((text) => stopped || streams.stdout.write(text));
    const recorder = args.trace ? new ExchangeRecorder(topology.participants) : undefined;
    recorder?.start();
    const listener: StepListener = {
      stepStarting: (step) => {
        if (args.replicas > 1) topology.useNextReplicaFor(step.to);
        recorder?.markStep(step.number, step.from, step.to, step.action);
      },
      stepPassed: (step, facts) => report.stepPassed(step, facts),
      stepFailed: (step, reason) => report.stepFailed(step, reason),
    };
    const results: JourneyResult[] = [];
    for (const name of args.journeys) {
      if (stopped) break;
      const journey = journeyNamed(name);
      report.journeyStarting(journey);
      const result = await runJourney(journey, topology, listener);
      report.journeyFailedOutsideSteps(result);
      if (recorder !== undefined) report.diagram(journey, sequenceDiagram(recorder.take()));
      results.push(result);
    }
    recorder?.stop();
    report.summary(results);
    return results.every((result) => result.passed) ? 0 : 1;
  };

  // A failure outside every journey (a bug of the demo itself) is told in one line, like any other.
  const walked = walk().catch((error: unknown) => {
    streams.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  const exitCode = Promise.race([walked, interruption]).finally(async () => {
    const topology = await starting?.catch(() => undefined);
    await topology?.close();
  });
  return {
    exitCode,
    interrupt() {
      if (stopped) return;
      stopped = true;
      streams.stderr.write('\ninterrupted: stopping the services\n');
      interrupted?.(130);
    },
  };
}
